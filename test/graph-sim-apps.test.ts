// The simulated Microsoft Graph's objects, run by real pwsh: applications (shapes, defaults, $filter, duplicates,
// paging), secrets (addPassword once, removePassword) under the tenant's app management policy, service principals
// and app role assignments (admin consent). Sign-in, errors and -WhatIf are in graph-sim.test.ts.
import * as assert from 'uvu/assert';
import { outputs, runGraphCases, type GraphCase } from './helpers/graph-cases.ts';
import {
  application,
  exchangeConsent,
  exchangeRoleIds,
  exchangeSpId,
  graphSpId,
  passwordCredential,
  secretLifetimePolicy,
  secretsBlockedPolicy,
  servicePrincipalOf,
  userReadScopeId,
} from './helpers/graph-sim.ts';

const hr = application('Bizagi HR mail', { exchange: ['IMAP.AccessAsApp'] });
const hrSp = servicePrincipalOf(hr);

const cases: GraphCase[] = [
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
      `'by appId: ' + ((Get-MgServicePrincipalByAppId -AppId '${hr.appId}').Id -eq $sp.Id) + ' ' + ((Invoke-MgGraphRequest -Uri "/v1.0/servicePrincipals(appId='${hr.appId}')").id -eq $sp.Id)`,
      `'select: ' + ((Get-MgServicePrincipal -ServicePrincipalId $sp.Id -Property appId).PSObject.Properties.Name -join ',')`,
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
        'by appId: True True',
        'select: Id,AppId,AdditionalProperties',
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
];

runGraphCases('graph-sim-apps.test.ts', cases);
