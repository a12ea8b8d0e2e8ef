// The simulated Microsoft Graph itself (test/pwsh/Microsoft.Graph.Authentication and .Applications), run by real
// pwsh: the documented behaviours a script test relies on. One pwsh process runs every case (test/helpers/graph-sim.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GraphSim,
  application,
  defaultTenantId,
  exchangeConsent,
  exchangeRoleIds,
  exchangeSpId,
  graphMailSendRoleId,
  graphSpId,
  passwordCredential,
  portalApplication,
  secretLifetimePolicy,
  secretsBlockedPolicy,
  servicePrincipalOf,
  setupScopes,
  userReadScopeId,
  type GraphRunResult,
  type GraphTenantSeed,
} from './helpers/graph-sim.ts';
import { pwshForTier, reportSkipped } from './helpers/pwsh-tier.ts';

const otherTenant = '99999999-0000-4000-8000-000000000099';
// User.Read too: GET /organization needs it (organization-get), none of the setup scopes covers it.
const scopes = [...setupScopes, 'User.Read'].map((s) => `'${s}'`).join(',');
const connect = (extra = '') => `Connect-MgGraph -Scopes ${scopes} -TenantId '${defaultTenantId}' -NoWelcome ${extra}`;

const hr = application('Bizagi HR mail', { exchange: ['IMAP.AccessAsApp'] });
const hrSp = servicePrincipalOf(hr);
const outputs = (r: GraphRunResult) => r.records.filter((x) => x.stream === 'output').map((x) => x.text);

/** Each case: a PowerShell body (run after Import-Module and Connect-MgGraph unless `connect` is false), the seed, the check. */
interface Case {
  name: string;
  body: string;
  seed?: GraphTenantSeed;
  connect?: false | string;
  parameters?: Record<string, boolean>;
  readAs?: 'windows-powershell-5.1';
  bytes?: (text: string) => Buffer;
  check: (r: GraphRunResult) => void;
}

const cases: Case[] = [
  {
    name: 'Get-MgContext is empty before Connect-MgGraph, shows tenant, account, scopes and cloud after, and Disconnect-MgGraph ends it',
    connect: false,
    body: [
      `'before: ' + ($null -eq (Get-MgContext))`,
      `Connect-MgGraph -Scopes 'Application.Read.All' -TenantId 'contoso.com' -NoWelcome`,
      `$c = Get-MgContext`,
      `'{0}|{1}|{2}|{3}|{4}|{5}|{6}' -f $c.TenantId, $c.Account, ($c.Scopes -join '+'), $c.AuthType, $c.Environment, $c.ContextScope, $c.ClientId`,
      `'disconnected: ' + (Disconnect-MgGraph).TenantId`,
      `'after: ' + ($null -eq (Get-MgContext))`,
      `try { Disconnect-MgGraph } catch { 'twice: ' + $_ }`,
    ].join('\n'),
    check: (r) =>
      assert.equal(outputs(r), [
        'before: True',
        `${defaultTenantId}|admin@contoso.com|Application.Read.All|Delegated|Global|CurrentUser|14d82eec-204b-4c2f-b7e8-296a70dab67e`,
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
    name: 'New-MgApplication: signInAudience defaults to AzureADandPersonalMicrosoftAccount; the documented shapes come back',
    body: [
      `$a = New-MgApplication -DisplayName 'default audience'`,
      `$a.SignInAudience`,
      `$b = New-MgApplication -DisplayName 'mine' -SignInAudience AzureADMyOrg -Web @{ RedirectUris = @('https://test-hr-contoso.bizagi.com/oauth2/client/callback') } -RequiredResourceAccess @(@{ ResourceAppId = '00000002-0000-0ff1-ce00-000000000000'; ResourceAccess = @(@{ Id = '${exchangeRoleIds['IMAP.AccessAsApp']}'; Type = 'Role' }) })`,
      `'{0}|{1}|{2}|{3}|{4}' -f $b.SignInAudience, $b.Web.RedirectUris[0], $b.RequiredResourceAccess[0].ResourceAppId, $b.RequiredResourceAccess[0].ResourceAccess[0].Type, $b.CreatedDateTime.GetType().Name`,
      `(Get-MgApplication -ApplicationId $b.Id).AppId -eq $b.AppId`,
      `(Get-MgApplicationByAppId -AppId $b.AppId).Id -eq $b.Id`,
      `(Invoke-MgGraphRequest -Uri "/v1.0/applications(appId='$($b.AppId)')").id -eq $b.Id`,
    ].join('\n'),
    check: (r) => {
      assert.is(r.exitCode, 0, r.output);
      assert.equal(outputs(r), [
        'AzureADandPersonalMicrosoftAccount',
        `AzureADMyOrg|https://test-hr-contoso.bizagi.com/oauth2/client/callback|00000002-0000-0ff1-ce00-000000000000|Role|DateTime`,
        'True',
        'True',
        'True',
      ]);
      const b = r.state.applications[1]!;
      assert.equal(b.requiredResourceAccess, [
        {
          resourceAppId: '00000002-0000-0ff1-ce00-000000000000',
          resourceAccess: [{ id: exchangeRoleIds['IMAP.AccessAsApp'], type: 'Role' }],
        },
      ]);
      assert.equal(b.web.redirectUris, ['https://test-hr-contoso.bizagi.com/oauth2/client/callback']);
      assert.equal(
        r.changes.map((c) => c.cmdlet),
        ['New-MgApplication', 'New-MgApplication'],
      );
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
    name: '$filter: the SDK encodes -Filter; a hand-built Invoke-MgGraphRequest filter must be URL-encoded with quotes doubled; duplicates come back together',
    seed: {
      applications: [application("O'Brien & Co +1 #2"), application('Twin'), application('Twin')],
    },
    body: [
      `'sdk: ' + @(Get-MgApplication -Filter "displayName eq 'O''Brien & Co +1 #2'").Count`,
      `$v = "O'Brien & Co +1 #2".Replace("'", "''")`,
      `'encoded: ' + @((Invoke-MgGraphRequest -Uri ("/v1.0/applications?\`$filter=" + [uri]::EscapeDataString("displayName eq '$v'"))).value).Count`,
      `try { $r = Invoke-MgGraphRequest -Uri "/v1.0/applications?\`$filter=displayName eq '$v'"; 'raw: ' + @($r.value).Count } catch { 'raw: ' + [int] $_.Exception.Response.StatusCode }`,
      `try { Invoke-MgGraphRequest -Uri "/v1.0/applications?\`$filter=displayName eq 'O'Brien'" } catch { 'single quote: ' + [int] $_.Exception.Response.StatusCode }`,
      `'twins: ' + @(Get-MgApplication -Filter "displayName eq 'Twin'").Count`,
    ].join('\n'),
    check: (r) => {
      assert.equal(outputs(r), ['sdk: 1', 'encoded: 1', 'raw: 400', 'single quote: 400', 'twins: 2']);
      const sent = r.calls.filter((c) => c.cmdlet === 'Invoke-MgGraphRequest').map((c) => c.requests[0]!.uri);
      assert.match(sent[1]!, /^\/v1\.0\/applications\?\$filter=displayName eq 'O''Brien & Co \+1 $/);
    },
  },
  {
    name: 'paging: lists come in pages with @odata.nextLink; the SDK returns the first page unless -All',
    seed: {
      pageSize: 2,
      applications: ['a', 'b', 'c', 'd', 'e'].map((n) => application(n)),
      servicePrincipals: [hrSp],
      appRoleAssignments: (['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp'] as const).map((v) =>
        exchangeConsent(hrSp, v),
      ),
    },
    body: [
      `$u = '/v1.0/applications'; $names = @(); $pages = 0`,
      `while ($u) { $r = Invoke-MgGraphRequest -Uri $u; $names += $r.value.displayName; $pages++; $u = $r['@odata.nextLink'] }`,
      `'invoke: ' + ($names -join ',') + " in $pages pages"`,
      `'sdk: ' + @(Get-MgApplication).Count + ' then ' + @(Get-MgApplication -All).Count + ', top 3: ' + @(Get-MgApplication -Top 3).Count`,
      `'assignments: ' + @(Get-MgServicePrincipalAppRoleAssignment -ServicePrincipalId '${hrSp.id}').Count + ' then ' + @(Get-MgServicePrincipalAppRoleAssignment -ServicePrincipalId '${hrSp.id}' -All).Count`,
    ].join('\n'),
    check: (r) => {
      assert.equal(outputs(r), ['invoke: a,b,c,d,e in 3 pages', 'sdk: 2 then 5, top 3: 3', 'assignments: 2 then 3']);
      const all = r.calls.filter((c) => c.cmdlet === 'Get-MgServicePrincipalAppRoleAssignment').at(-1)!;
      assert.is(all.requests.length, 2);
      assert.match(all.requests[1]!.uri, /\$skiptoken=/);
    },
  },
  {
    name: 'Add-MgApplicationPassword answers the secret once (hint = its first 3 characters); it is never stored, logged or read back',
    seed: { applications: [hr] },
    body: [
      `$p = Add-MgApplicationPassword -ApplicationId '${hr.id}' -PasswordCredential @{ displayName = 'bizagi'; endDateTime = [datetime]::UtcNow.AddDays(90) }`,
      `'SECRET=' + $p.SecretText`,
      `'{0}|{1}|{2}' -f ($p.Hint -eq $p.SecretText.Substring(0, 3)), $p.SecretText.Length, [math]::Round(($p.EndDateTime - $p.StartDateTime).TotalDays)`,
      `$back = (Get-MgApplication -ApplicationId '${hr.id}').PasswordCredentials`,
      `'back: ' + $back.Count + ' ' + ($null -eq $back[0].SecretText) + ' ' + ($back[0].KeyId -eq $p.KeyId)`,
      `$d = Invoke-MgGraphRequest -Method POST -Uri '/v1.0/applications/${hr.id}/addPassword' -Body @{ passwordCredential = @{ displayName = 'default end' } }`,
      `'default end: ' + [math]::Round(([datetimeoffset] $d.endDateTime - [datetimeoffset] $d.startDateTime).TotalDays / 365.25)`,
      `Remove-MgApplicationPassword -ApplicationId '${hr.id}' -KeyId $p.KeyId`,
      `'left: ' + ((Get-MgApplication -ApplicationId '${hr.id}').PasswordCredentials.DisplayName -join ',')`,
      `Remove-MgApplicationPassword -ApplicationId '${hr.id}' -KeyId $p.KeyId -ErrorAction SilentlyContinue; 'again: ' + $Error[0].Exception.Data['StatusCode']`,
    ].join('\n'),
    check: (r) => {
      const out = outputs(r);
      const secret = out[0]!.replace('SECRET=', '');
      assert.match(secret, /^.{3}8Q~.{34}$/);
      assert.equal(out.slice(1), [
        'True|40|90',
        'back: 1 True True',
        'default end: 2',
        'left: default end',
        'again: 404',
      ]);
      assert.is(r.state.applications[0]!.passwordCredentials.length, 1);
      assert.not.ok(JSON.stringify(r.state).includes(secret), 'the state file never holds the secret');
      assert.not.ok(JSON.stringify(r.calls).includes(secret), 'the call log never holds the secret');
    },
  },
  {
    name: 'a policy limiting secrets to 180 days refuses a longer one (CredentialInvalidLifetimeAsPerAppPolicy) and allows a shorter one',
    seed: { applications: [hr], appManagementPolicy: secretLifetimePolicy('P180D') },
    body: [
      `$pol = Invoke-MgGraphRequest -Uri '/v1.0/policies/defaultAppManagementPolicy'`,
      `'policy: ' + $pol.applicationRestrictions.passwordCredentials[0].restrictionType + ' ' + $pol.applicationRestrictions.passwordCredentials[0].maxLifetime`,
      `Add-MgApplicationPassword -ApplicationId '${hr.id}' -PasswordCredential @{ endDateTime = [datetime]::UtcNow.AddDays(365) } -ErrorAction SilentlyContinue`,
      `'365: ' + $Error[0].Exception.Data['ErrorCode']`,
      `'message: ' + $Error[0].Exception.Message`,
      `try { Invoke-MgGraphRequest -Method POST -Uri '/v1.0/applications/${hr.id}/addPassword' -Body '{}' } catch { 'default 2 years: ' + ($_.ErrorDetails.Message -match 'CredentialInvalidLifetimeAsPerAppPolicy') }`,
      `'180: ' + ($null -ne (Add-MgApplicationPassword -ApplicationId '${hr.id}' -PasswordCredential @{ endDateTime = [datetime]::UtcNow.AddDays(179) }).SecretText)`,
    ].join('\n'),
    check: (r) => {
      assert.equal(outputs(r), [
        'policy: passwordLifetime P180D',
        '365: CredentialInvalidLifetimeAsPerAppPolicy',
        'message: Credential lifetime exceeds the max value allowed as per assigned policy.',
        'default 2 years: True',
        '180: True',
      ]);
    },
  },
  {
    name: 'a policy blocking secrets refuses every one (CredentialTypeNotAllowedAsPerAppPolicy); apps created before its date are exempt',
    seed: {
      applications: [hr, application('old app', { createdDateTime: '2020-01-01T00:00:00Z' })],
      appManagementPolicy: {
        isEnabled: true,
        applicationRestrictions: {
          passwordCredentials: [
            {
              restrictionType: 'passwordAddition',
              state: 'enabled',
              restrictForAppsCreatedAfterDateTime: '2025-01-01T00:00:00Z',
            },
          ],
        },
      },
    },
    body: [
      `Add-MgApplicationPassword -ApplicationId '${hr.id}' -PasswordCredential @{ displayName = 'x' } -ErrorAction SilentlyContinue; 'new app: ' + $Error[0].Exception.Data['ErrorCode']`,
      `$old = Get-MgApplication -Filter "displayName eq 'old app'"`,
      `'old app: ' + ($null -ne (Add-MgApplicationPassword -ApplicationId $old.Id -PasswordCredential @{ displayName = 'x' }).SecretText)`,
    ].join('\n'),
    check: (r) => assert.equal(outputs(r), ['new app: CredentialTypeNotAllowedAsPerAppPolicy', 'old app: True']),
  },
  {
    name: 'blocked by the plain helper policy too',
    seed: { applications: [hr], appManagementPolicy: secretsBlockedPolicy() },
    body: `try { Invoke-MgGraphRequest -Method POST -Uri '/v1.0/applications/${hr.id}/addPassword' -Body @{ passwordCredential = @{ displayName = 'x' } } } catch { [int] $_.Exception.Response.StatusCode; ($_.ErrorDetails.Message -split "\`n")[-1] | ConvertFrom-Json | ForEach-Object { $_.error.code } }`,
    check: (r) => assert.equal(outputs(r), ['400', 'CredentialTypeNotAllowedAsPerAppPolicy']),
  },
  {
    name: "service principals: one per appId (409 on the second); Exchange Online's roles are found by value; consent is an app role assignment, once",
    seed: { applications: [hr] },
    body: [
      `$sp = New-MgServicePrincipal -AppId '${hr.appId}'`,
      `'sp: ' + $sp.DisplayName + ' ' + $sp.AccountEnabled`,
      `try { Invoke-MgGraphRequest -Method POST -Uri '/v1.0/servicePrincipals' -Body @{ appId = '${hr.appId}' } } catch { 'second: ' + [int] $_.Exception.Response.StatusCode + ' ' + ($_.ErrorDetails.Message -match 'Request_MultipleObjectsWithSameKeyValue') }`,
      `$exo = Get-MgServicePrincipal -Filter "appId eq '00000002-0000-0ff1-ce00-000000000000'"`,
      `$imap = $exo.AppRoles | Where-Object Value -eq 'IMAP.AccessAsApp'`,
      `$a = New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId $exo.Id -AppRoleId $imap.Id`,
      `'assigned: ' + ($a.AppRoleId -eq $imap.Id) + ' ' + $a.ResourceDisplayName`,
      `New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId $exo.Id -AppRoleId $imap.Id -ErrorAction SilentlyContinue`,
      `'twice: ' + $Error[0].Exception.Message`,
      `New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId '${graphSpId}' -AppRoleId '${userReadScopeId}' -ErrorAction SilentlyContinue`,
      `'a scope is no role: ' + $Error[0].Exception.Data['StatusCode']`,
      `Remove-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -AppRoleAssignmentId $a.Id`,
      `'left: ' + @(Get-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id).Count`,
    ].join('\n'),
    check: (r) => {
      assert.equal(outputs(r), [
        'sp: Bizagi HR mail True',
        'second: 409 True',
        'assigned: True Office 365 Exchange Online',
        'twice: Permission being assigned already exists on the object.',
        'a scope is no role: 403',
        'left: 0',
      ]);
      assert.equal(r.state.servicePrincipals.filter((s) => s.appId === hr.appId).length, 1);
    },
  },
  {
    name: "a national cloud may give Exchange Online's roles other ids: the seed option changes them, values stay",
    seed: { exchangeRoleIds: { 'SMTP.SendAsApp': '11111111-aaaa-4bbb-8ccc-000000000025' } },
    body: `(Get-MgServicePrincipal -ServicePrincipalId '${exchangeSpId}').AppRoles | ForEach-Object { $_.Value + '=' + $_.Id }`,
    check: (r) =>
      assert.equal(outputs(r), [
        `IMAP.AccessAsApp=${exchangeRoleIds['IMAP.AccessAsApp']}`,
        `POP.AccessAsApp=${exchangeRoleIds['POP.AccessAsApp']}`,
        'SMTP.SendAsApp=11111111-aaaa-4bbb-8ccc-000000000025',
        `full_access_as_app=${exchangeRoleIds.full_access_as_app}`,
      ]),
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
        'beta: 400',
      ]);
      assert.equal(r.state.applications[0]!.requiredResourceAccess, []);
    },
  },
  {
    name: 'a fault fails the Nth write half-way: the writes before it stay done, the script goes on (SDK) or stops (Invoke)',
    seed: { faults: [{ write: 2 }] },
    body: [
      `$null = New-MgApplication -DisplayName 'first'`,
      `$null = New-MgApplication -DisplayName 'second'`,
      `'fault: ' + $Error[0].Exception.Data['StatusCode']`,
      `$null = New-MgApplication -DisplayName 'third'`,
    ].join('\n'),
    check: (r) => {
      assert.equal(outputs(r), ['fault: 503']);
      assert.equal(
        r.state.applications.map((a) => a.displayName),
        ['first', 'third'],
      );
      assert.equal(
        r.changes.map((c) => c.parameters.DisplayName),
        ['first', 'third'],
      );
      assert.is(r.state.writeCount, 3);
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
    name: 'a seeded secret reads back with hint and dates; deleting an app removes its enterprise application and consents',
    seed: {
      applications: [{ ...hr, passwordCredentials: [passwordCredential('2027-01-05T09:10:00Z')] }],
      servicePrincipals: [hrSp],
      appRoleAssignments: [exchangeConsent(hrSp, 'IMAP.AccessAsApp')],
    },
    body: [
      `$c = (Get-MgApplication -ApplicationId '${hr.id}').PasswordCredentials[0]`,
      `'{0}|{1}' -f $c.Hint, $c.EndDateTime.ToString('yyyy-MM-dd')`,
      `Remove-MgApplication -ApplicationId '${hr.id}'`,
    ].join('\n'),
    check: (r) => {
      assert.equal(outputs(r), ['Sd~|2027-01-05']);
      assert.equal(r.state.applications, []);
      assert.equal(
        r.state.servicePrincipals.map((s) => s.id),
        [exchangeSpId, graphSpId],
      );
      assert.equal(r.state.appRoleAssignments, []);
    },
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

const pwsh = pwshForTier('graph-sim.test.ts');
if (!pwsh) reportSkipped(cases.length + 1, 'graph-sim.test.ts');
else {
  const sim = new GraphSim(pwsh);
  let results: GraphRunResult[] = [];
  test.before(async () => {
    cases.forEach((c, i) => {
      const file = join(sim.dir, `case-${i}.ps1`);
      const head = c.parameters ? '[CmdletBinding(SupportsShouldProcess)] param()\n' : '';
      const text = `${head}Import-Module Microsoft.Graph.Applications\n${c.connect === false ? '' : `${c.connect ?? connect()}\n`}${c.body}\n`;
      writeFileSync(file, c.bytes ? c.bytes(text) : text);
      sim.run(sim.tenant(c.seed ?? {}), file, c.parameters ?? {}, { readAs: c.readAs });
    });
    results = await sim.execute();
  });
  test.after(() => sim.done());
  // A failing check shows what the run printed: the simulation's answers are the evidence.
  cases.forEach((c, i) =>
    test(`simulated Microsoft Graph: ${c.name}`, () => {
      try {
        c.check(results[i]!);
      } catch (e) {
        if (e instanceof Error)
          e.message += `\n--- run output (exit ${results[i]!.exitCode}) ---\n${results[i]!.output}`;
        throw e;
      }
    }),
  );

  test('simulated Microsoft Graph: runFile runs a script as a user does and sees the same tenant', async () => {
    const tenant = sim.tenant({});
    const file = join(sim.dir, 'run-file.ps1');
    writeFileSync(
      file,
      `param([string] $Name)\nImport-Module Microsoft.Graph.Applications\n${connect()}\n$null = New-MgApplication -DisplayName $Name\nexit 3\n`,
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
  });
  test.run();
}
