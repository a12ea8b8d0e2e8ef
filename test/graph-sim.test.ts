// The simulated Microsoft Graph itself (test/pwsh/Microsoft.Graph.Authentication and .Applications), run by real
// pwsh: sign-in and context, national clouds, errors (terminating or not), -WhatIf, permissions, Invoke-MgGraphRequest's
// input and output, faults, and scripts read as Windows PowerShell 5.1 reads them. The objects (applications, secrets,
// policies, service principals, consent) are in graph-sim-apps.test.ts. One pwsh process runs every case.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, outputs, runGraphCases, scopes, type GraphCase } from './helpers/graph-cases.ts';
import {
  application,
  defaultTenantId,
  graphMailSendRoleId,
  graphSpId,
  portalApplication,
  servicePrincipalOf,
} from './helpers/graph-sim.ts';

const otherTenant = '99999999-0000-4000-8000-000000000099';
const hr = application('Bizagi HR mail', { exchange: ['IMAP.AccessAsApp'] });
const hrSp = servicePrincipalOf(hr);

const cases: GraphCase[] = [
  {
    name: 'Get-MgContext is empty before Connect-MgGraph, shows tenant, account, scopes and cloud after, and Disconnect-MgGraph ends it',
    connect: false,
    body: [
      `'before: ' + ($null -eq (Get-MgContext))`,
      `Connect-MgGraph -Scopes 'Application.Read.All' -TenantId 'contoso.com' -ContextScope Process -NoWelcome`,
      `$c = Get-MgContext`,
      `'{0}|{1}|{2}|{3}|{4}|{5}|{6}' -f $c.TenantId, $c.Account, ($c.Scopes -join '+'), $c.AuthType, $c.Environment, $c.ContextScope, $c.ClientId`,
      `'disconnected: ' + (Disconnect-MgGraph).TenantId`,
      `'after: ' + ($null -eq (Get-MgContext))`,
      `try { Disconnect-MgGraph } catch { 'twice: ' + $_ }`,
    ].join('\n'),
    check: (r) =>
      assert.equal(outputs(r), [
        'before: True',
        `${defaultTenantId}|admin@contoso.com|Application.Read.All|Delegated|Global|Process|14d82eec-204b-4c2f-b7e8-296a70dab67e`,
        `disconnected: ${defaultTenantId}`,
        'after: True',
        'twice: No application to sign out from.',
      ]),
  },
  {
    name: 'a sign-in that lands in another tenant shows in Get-MgContext; a tenant the account is not in fails with AADSTS50020',
    seed: { signedInTenantId: otherTenant },
    body: `(Get-MgContext).TenantId`,
    check: (r) => assert.equal(outputs(r), [otherTenant]),
  },
  {
    name: 'Connect-MgGraph -TenantId of a tenant the account is not in is a terminating sign-in error',
    connect: false,
    body: `Connect-MgGraph -Scopes 'Application.Read.All' -TenantId '${otherTenant}' -NoWelcome; 'not reached'`,
    check: (r) => {
      assert.is(r.exitCode, 1);
      assert.match(r.errors.at(-1)!, /^AADSTS50020: .*does not exist in tenant '99999999-/);
      assert.not.match(r.output, /not reached/);
    },
  },
  {
    name: 'the welcome message is shown unless -NoWelcome; SDK cmdlets and Invoke-MgGraphRequest refuse to run before Connect-MgGraph',
    connect: false,
    body: [
      `try { Get-MgApplication } catch { 'sdk: ' + $_ }`,
      `try { Invoke-MgGraphRequest -Uri '/v1.0/organization' } catch { 'invoke: ' + $_ }`,
      `Connect-MgGraph -Scopes 'User.Read' -TenantId '${defaultTenantId}'`,
    ].join('\n'),
    check: (r) => {
      assert.equal(outputs(r), [
        'sdk: Authentication needed. Please call Connect-MgGraph.',
        'invoke: Authentication needed. Please call Connect-MgGraph.',
      ]);
      assert.match(r.output, /Welcome to Microsoft Graph!/);
      assert.match(r.output, /-NoWelcome parameter to suppress/);
    },
  },
  {
    name: 'the token carries the scopes granted, not those asked for (grantedScopes); a failed sign-in is a terminating error',
    seed: { grantedScopes: ['Application.Read.All'] },
    body: [
      `'scopes: ' + ((Get-MgContext).Scopes -join ',')`,
      `New-MgApplication -DisplayName 'x' -ErrorAction SilentlyContinue; 'write: ' + $Error[0].Exception.Data['StatusCode']`,
    ].join('\n'),
    check: (r) => assert.equal(outputs(r), ['scopes: Application.Read.All', 'write: 403']),
  },
  {
    name: 'signInError makes Connect-MgGraph fail with that message',
    seed: { signInError: 'AADSTS53003: Access has been blocked by Conditional Access policies.' },
    body: `'not reached'`,
    check: (r) => {
      assert.is(r.exitCode, 1);
      assert.equal(r.errors, ['AADSTS53003: Access has been blocked by Conditional Access policies.']);
    },
  },
  {
    name: "national clouds: -Environment picks the Graph host; a URI on another cloud's host is refused; the tenant's cloud must match",
    seed: { environment: 'USGov' },
    connect: `Connect-MgGraph -Scopes ${scopes} -TenantId '${defaultTenantId}' -Environment USGov -NoWelcome`,
    body: [
      `(Get-MgContext).Environment`,
      `(Invoke-MgGraphRequest -Uri 'https://graph.microsoft.us/v1.0/organization').value[0].id`,
      `try { Invoke-MgGraphRequest -Uri 'https://graph.microsoft.com/v1.0/organization' } catch { 'global host: ' + $_.ErrorDetails.Message.Split("\`n")[1] + ' ' + ($_.ErrorDetails.Message -match 'Invalid audience') }`,
      `try { Connect-MgGraph -Scopes 'User.Read' -Environment Global -NoWelcome } catch { 'global sign-in: ' + ($_ -match 'AADSTS') }`,
      `try { Connect-MgGraph -Scopes 'User.Read' -Environment Germany -NoWelcome } catch { 'germany: ' + $_ }`,
    ].join('\n'),
    check: (r) => {
      const out = outputs(r);
      assert.equal(out.slice(0, 4), [
        'USGov',
        defaultTenantId,
        'global host: HTTP/1.1 401 Unauthorized True',
        'global sign-in: True',
      ]);
      assert.match(out[4]!, /^germany: .*'Germany' does not exist/);
    },
  },
  {
    name: "SDK errors are non-terminating (the script goes on) unless -ErrorAction Stop or the caller's $ErrorActionPreference is Stop",
    body: [
      `New-MgApplication -DisplayName 'bad uri' -Web @{ RedirectUris = @('http://hr.contoso.com/callback') }`,
      `'went on'`,
      `try { Get-MgApplication -ApplicationId '00000000-0000-4000-8000-000000000000' -ErrorAction Stop } catch { 'stop: ' + $_.Exception.Message }`,
      `$ErrorActionPreference = 'Stop'`,
      `Get-MgServicePrincipal -ServicePrincipalId '00000000-0000-4000-8000-000000000000'`,
      `'not reached'`,
    ].join('\n'),
    check: (r) => {
      assert.is(r.exitCode, 1);
      const out = outputs(r);
      assert.equal(out[0], 'went on');
      assert.match(out[1]!, /^stop: Resource '00000000-0000-4000-8000-000000000000' does not exist/);
      assert.not.match(r.output, /not reached/);
      assert.match(
        r.errors[0]!,
        /^Invalid value specified for property 'redirectUris'.*\n\nStatus: 400 \(BadRequest\)\nErrorCode: Request_BadRequest/,
      );
      assert.equal(r.state.applications, []);
    },
  },
  {
    name: '-WhatIf: the SDK cmdlets send nothing (also when inherited from the calling script), Invoke-MgGraphRequest writes anyway and has no -WhatIf',
    parameters: { WhatIf: true },
    body: [
      `$app = New-MgApplication -DisplayName 'sdk under whatif'`,
      `'sdk returned: ' + ($null -eq $app)`,
      `New-MgServicePrincipal -AppId '${hr.appId}' -WhatIf:$true`,
      `$r = Invoke-MgGraphRequest -Method POST -Uri '/v1.0/applications' -Body @{ displayName = 'invoke under whatif' }`,
      `'invoke created: ' + $r.displayName`,
      `try { Invoke-MgGraphRequest -Method GET -Uri '/v1.0/applications' -WhatIf } catch { 'no whatif: ' + ($_.FullyQualifiedErrorId -split ',')[0] }`,
    ].join('\n'),
    seed: { applications: [hr] },
    check: (r) => {
      assert.is(r.exitCode, 0, r.output);
      assert.equal(outputs(r), [
        'sdk returned: True',
        'invoke created: invoke under whatif',
        'no whatif: NamedParameterNotFound',
      ]);
      assert.equal(
        r.state.applications.map((a) => a.displayName),
        ['Bizagi HR mail', 'invoke under whatif'],
      );
      assert.equal(r.state.servicePrincipals.length, 2);
      const sdk = r.calls.filter((c) => c.cmdlet.startsWith('New-Mg'));
      assert.equal(
        sdk.map((c) => [c.cmdlet, c.requests.length, c.change]),
        [
          ['New-MgApplication', 0, false],
          ['New-MgServicePrincipal', 0, false],
        ],
      );
    },
  },
  {
    name: 'without the scope, writes are 403 Authorization_RequestDenied: non-terminating from the SDK, terminating from Invoke-MgGraphRequest',
    connect: `Connect-MgGraph -Scopes 'Application.Read.All' -TenantId '${defaultTenantId}' -NoWelcome`,
    seed: { applications: [hr] },
    body: [
      `'read: ' + (Get-MgApplication -All).Count`,
      `New-MgApplication -DisplayName 'x'`,
      `'went on'`,
      `try { Invoke-MgGraphRequest -Method PATCH -Uri "/v1.0/applications/${hr.id}" -Body @{ notes = 'x' }; 'not reached' } catch { 'invoke: ' + $_.Exception.Message + ' ' + [int] $_.Exception.Response.StatusCode + ' ' + $_.FullyQualifiedErrorId.Split(',')[0]; $_.ErrorDetails.Message }`,
    ].join('\n'),
    check: (r) => {
      assert.is(r.exitCode, 0, r.output);
      const out = outputs(r);
      assert.equal(out.slice(0, 3), [
        'read: 1',
        'went on',
        'invoke: Response status code does not indicate success: Forbidden (Forbidden). 403 InvokeGraphHttpResponseException',
      ]);
      assert.match(
        out[3]!,
        new RegExp(`^PATCH https://graph.microsoft.com/v1.0/applications/${hr.id}\nHTTP/1.1 403 Forbidden\n`),
      );
      assert.match(
        out[3]!,
        /"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."/,
      );
      assert.match(
        r.errors[0]!,
        /^Insufficient privileges to complete the operation.\n\nStatus: 403 \(Forbidden\)\nErrorCode: Authorization_RequestDenied\n/,
      );
      assert.equal(r.changes, []);
    },
  },
  {
    name: 'with the scopes but without an administrator role, writes are 403; reading security defaults needs a security reader role',
    seed: { roles: ['Global Reader'], securityDefaultsEnabled: true },
    connect: `Connect-MgGraph -Scopes ${scopes} -TenantId '${defaultTenantId}' -NoWelcome`,
    body: [
      `New-MgApplication -DisplayName 'x' -ErrorAction SilentlyContinue; 'write: ' + ($Error[0].Exception.Data['ErrorCode'])`,
      `'secdef: ' + (Invoke-MgGraphRequest -Uri '/v1.0/policies/identitySecurityDefaultsEnforcementPolicy').isEnabled`,
      `'policy: ' + (Invoke-MgGraphRequest -Uri '/v1.0/policies/defaultAppManagementPolicy').isEnabled`,
    ].join('\n'),
    check: (r) => assert.equal(outputs(r), ['write: Authorization_RequestDenied', 'secdef: True', 'policy: False']),
  },
  {
    name: 'a Cloud Application Administrator cannot read security defaults (403) nor assign Microsoft Graph app roles',
    seed: { applications: [hr], servicePrincipals: [hrSp] },
    body: [
      `try { Invoke-MgGraphRequest -Uri '/v1.0/policies/identitySecurityDefaultsEnforcementPolicy' } catch { 'secdef: ' + [int] $_.Exception.Response.StatusCode }`,
      `New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId '${hrSp.id}' -PrincipalId '${hrSp.id}' -ResourceId '${graphSpId}' -AppRoleId '${graphMailSendRoleId}' -ErrorAction SilentlyContinue`,
      `'graph role: ' + $Error[0].Exception.Data['StatusCode']`,
    ].join('\n'),
    check: (r) => {
      assert.equal(outputs(r), ['secdef: 403', 'graph role: 403']);
      assert.equal(r.state.appRoleAssignments, []);
    },
  },
  {
    name: 'Invoke-MgGraphRequest: a case-sensitive hashtable by default, PSObject and Json on request; PATCH is 204 with no output; bodies are sent as written',
    seed: { applications: [portalApplication('Portal app')] },
    body: [
      `$r = (Invoke-MgGraphRequest -Uri '/v1.0/applications').value[0]`,
      `'{0}|{1}|{2}' -f $r.GetType().Name, $r.displayName, ($null -eq $r.DisplayName)`,
      `'{0}|{1}' -f $r.requiredResourceAccess[0].resourceAppId, $r.requiredResourceAccess[0].resourceAccess[0].type`,
      `'psobject: ' + (Invoke-MgGraphRequest -Uri '/v1.0/applications' -OutputType PSObject).value[0].DisplayName`,
      `'json: ' + (Invoke-MgGraphRequest -Uri '/v1.0/organization' -OutputType Json).GetType().Name`,
      `$patch = Invoke-MgGraphRequest -Method PATCH -Uri "/v1.0/applications/$($r.id)" -Body @{ requiredResourceAccess = @() } -StatusCodeVariable code`,
      `'patch: ' + ($null -eq $patch) + ' ' + $code`,
      `try { Invoke-MgGraphRequest -Method POST -Uri '/v1.0/applications' -Body @{ DisplayName = 'Pascal' } } catch { 'pascal: ' + ($_.ErrorDetails.Message -match "Property 'DisplayName' does not exist") }`,
      `'sdk body: ' + (New-MgApplication -BodyParameter @{ DisplayName = 'Pascal via SDK' }).DisplayName`,
      // SRC FillRequestStream converts a non-dictionary body to a string: a PSCustomObject becomes '', an empty body.
      `try { Invoke-MgGraphRequest -Method POST -Uri '/v1.0/applications' -Body ([pscustomobject] @{ displayName = 'object' }) } catch { 'pscustomobject: ' + [int] $_.Exception.Response.StatusCode }`,
      `try { Invoke-MgGraphRequest -Method POST -Uri '/v1.0/applications' } catch { 'no body: ' + $_ }`,
      `try { Invoke-MgGraphRequest -Method PATCH -Uri "/v1.0/applications/$($r.id)" -Body '' } catch { 'empty body: ' + ($_.ErrorDetails.Message -match 'Empty Payload') }`,
      `try { Invoke-MgGraphRequest -Uri '/beta/applications' } catch { 'beta: ' + [int] $_.Exception.Response.StatusCode }`,
    ].join('\n'),
    check: (r) => {
      assert.equal(outputs(r), [
        'Hashtable|Portal app|True',
        `00000003-0000-0000-c000-000000000000|Scope`,
        'psobject: Portal app',
        'json: String',
        'patch: True 204',
        'pascal: True',
        'sdk body: Pascal via SDK',
        'pscustomobject: 400',
        'no body: Body cannot be null when Method is POST.',
        'empty body: True',
        'beta: 400',
      ]);
      assert.equal(r.state.applications[0]!.requiredResourceAccess, []);
    },
  },
  {
    name: 'a fault fails the Nth write half-way: the writes before it stay done, the script goes on (SDK) or stops (Invoke)',
    seed: {
      faults: [{ write: 2 }, { write: 4, status: 503, code: 'serviceNotAvailable', message: 'Service unavailable.' }],
    },
    body: [
      `$null = New-MgApplication -DisplayName 'first'`,
      `$null = New-MgApplication -DisplayName 'second'`,
      `'fault: ' + $Error[0].Exception.Data['StatusCode']`,
      `$null = New-MgApplication -DisplayName 'third'`,
      `try { $null = Invoke-MgGraphRequest -Method POST -Uri '/v1.0/applications' -Body @{ displayName = 'fourth' }; 'not reached' } catch { 'invoke fault: ' + [int] $_.Exception.Response.StatusCode }`,
    ].join('\n'),
    check: (r) => {
      assert.equal(outputs(r), ['fault: 500', 'invoke fault: 503']);
      assert.equal(
        r.state.applications.map((a) => a.displayName),
        ['first', 'third'],
      );
      assert.equal(
        r.changes.map((c) => c.parameters.DisplayName),
        ['first', 'third'],
      );
      assert.is(r.state.writeCount, 4);
    },
  },
  {
    name: 'GET /organization and the security defaults policy (on for a Global Reader to see)',
    seed: { roles: ['Global Reader'], securityDefaultsEnabled: false },
    body: [
      `$o = (Invoke-MgGraphRequest -Uri '/v1.0/organization').value[0]`,
      `'{0}|{1}|{2}' -f $o.id, $o.displayName, ($o.verifiedDomains | Where-Object isDefault).name`,
      `'secdef: ' + (Invoke-MgGraphRequest -Uri 'https://graph.microsoft.com/v1.0/policies/identitySecurityDefaultsEnforcementPolicy').isEnabled`,
    ].join('\n'),
    check: (r) => assert.equal(outputs(r), [`${defaultTenantId}|Contoso|contoso.onmicrosoft.com`, 'secdef: False']),
  },
  {
    name: 'a script read as Windows PowerShell 5.1 reads it: without a BOM, UTF-8 display names arrive as mojibake',
    readAs: 'windows-powershell-5.1',
    bytes: (text) => Buffer.from(text, 'utf8'),
    body: `(New-MgApplication -DisplayName 'Café Zürich').DisplayName`,
    check: (r) => assert.equal(outputs(r), ['CafÃ© ZÃ¼rich']),
  },
  {
    name: 'with a BOM, 5.1 reads the same file as UTF-8',
    readAs: 'windows-powershell-5.1',
    bytes: (text) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
    body: `(New-MgApplication -DisplayName 'Café Zürich').DisplayName`,
    check: (r) => assert.equal(outputs(r), ['Café Zürich']),
  },
];

runGraphCases('graph-sim.test.ts', cases, (sim) =>
  test('simulated Microsoft Graph: runFile runs a script as a user does and sees the same tenant', async () => {
    const tenant = sim.tenant({});
    const file = join(sim.dir, 'run-file.ps1');
    writeFileSync(
      file,
      `param([string] $Name)\nImport-Module Microsoft.Graph.Applications\n${connect}\n$null = New-MgApplication -DisplayName $Name\nexit 3\n`,
    );
    const r = await sim.runFile(tenant, file, { Name: 'from runFile' });
    assert.is(r.exitCode, 3, r.stderr);
    assert.equal(
      r.state.applications.map((a) => a.displayName),
      ['from runFile'],
    );
    assert.equal(
      r.calls.map((c) => c.cmdlet),
      ['Connect-MgGraph', 'New-MgApplication'],
    );
    assert.ok(readFileSync(tenant.file, 'utf8').includes('from runFile'));
  }),
);
