// The simulated Exchange Online itself (test/pwsh/ExchangeOnlineManagement), run by real pwsh: the documented
// behaviours the script tests rely on. One pwsh process runs every case (see test/helpers/exchange-sim.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExchangeSim, group, mailbox, type RunResult } from './helpers/exchange-sim.ts';
import { pwshForTier, reportSkipped } from './helpers/pwsh-tier.ts';

const appId = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const objectId = '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';
const otherObjectId = '11111111-2222-4333-8444-555555555555';
const sp = { AppId: appId, ObjectId: objectId, DisplayName: 'Bizagi HR mail (test)' };
const other = { AppId: '99999999-2222-4333-8444-555555555555', ObjectId: otherObjectId, DisplayName: 'Other app' };

/** Each case: a PowerShell body (run after Connect-ExchangeOnline), the tenant seed, and what to check. */
const cases: {
  name: string;
  body: string;
  seed?: Parameters<ExchangeSim['tenant']>[0];
  connect?: boolean;
  check: (r: RunResult) => void;
}[] = [
  {
    name: "Get-ServicePrincipal -Identity with an unknown value returns every principal (the reference's caution)",
    seed: { servicePrincipals: [sp, other] },
    body: `@(Get-ServicePrincipal -Identity 'aaaaaaaa-0000-4000-8000-000000000000').Count; @(Get-ServicePrincipal -Identity '${objectId}').Count; (Get-ServicePrincipal -Identity '${appId}').ObjectId`,
    check: (r) =>
      assert.equal(
        r.records.filter((x) => x.stream === 'output').map((x) => x.text),
        ['2', '1', objectId],
      ),
  },
  {
    name: 'cmdlets refuse to run before Connect-ExchangeOnline',
    connect: false,
    body: 'Get-CASMailbox -Identity a@contoso.com',
    check: (r) => {
      assert.is(r.exitCode, 1);
      assert.match(r.output, /not connected/);
    },
  },
  {
    name: 'a missing mailbox is a non-terminating "couldn\'t be found" error naming it; -ErrorAction Stop makes it terminating',
    seed: { mailboxes: [mailbox('a@contoso.com')] },
    body: "$r = Get-CASMailbox -Identity 'nobody@contoso.com' -ErrorAction SilentlyContinue; 'went on'; Get-MailboxPermission -Identity 'nobody@contoso.com' -ErrorAction Stop; 'not reached'",
    check: (r) => {
      assert.is(r.exitCode, 1);
      assert.match(r.output, /went on/);
      assert.not.match(r.output, /not reached/);
      assert.match(r.errors.at(-1)!, /object 'nobody@contoso.com' couldn't be found/);
    },
  },
  {
    name: "Get-MailboxPermission lists the mailbox's own SELF entry and inherited entries, AccessRights as a list",
    seed: { mailboxes: [mailbox('a@contoso.com')] },
    body: "Get-MailboxPermission -Identity 'a@contoso.com' | ForEach-Object { '{0}|{1}|{2}|{3}|{4}' -f $_.User, ($_.AccessRights -join '+'), $_.AccessRights.GetType().Name, $_.IsInherited, $_.Deny }",
    check: (r) =>
      assert.equal(
        r.records.map((x) => x.text),
        [
          'NT AUTHORITY\\SELF|FullAccess+ReadPermission|String[]|False|False',
          'NT AUTHORITY\\SYSTEM|FullAccess|String[]|True|False',
          'SIM\\Organization Management|FullAccess|String[]|True|True',
        ],
      ),
  },
  {
    name: 'names longer than 64 characters are refused for scopes and role assignments; -App takes the ObjectId only',
    seed: { servicePrincipals: [sp], groups: [group('senders@contoso.com')] },
    body: [
      `$dn = (Get-Group -Identity 'senders@contoso.com').DistinguishedName`,
      `$f = "MemberOfGroup -eq '$dn'"`,
      `try { New-ManagementScope -Name ('x' * 65) -RecipientRestrictionFilter $f } catch { 'scope: ' + $_ }`,
      `$null = New-ManagementScope -Name ('s' * 64) -RecipientRestrictionFilter $f`,
      `try { New-ManagementRoleAssignment -Name ('y' * 65) -Role 'Application SMTP.SendAsApp' -App '${objectId}' -CustomResourceScope ('s' * 64) } catch { 'assignment: ' + $_ }`,
      `try { New-ManagementRoleAssignment -Name 'a' -Role 'Application SMTP.SendAsApp' -App '${appId}' -CustomResourceScope ('s' * 64) } catch { 'app: ' + $_ }`,
      `(New-ManagementRoleAssignment -Name ('a' * 64) -Role 'Application SMTP.SendAsApp' -App '${objectId}' -CustomResourceScope ('s' * 64)).RoleAssignee`,
    ].join('\n'),
    check: (r) => {
      const out = r.records.map((x) => x.text);
      assert.match(out[0]!, /^scope: .*65 characters; it can be up to 64/);
      assert.match(out[1]!, /^assignment: .*maximum length of the name is 64/);
      assert.match(out[2]!, /^app: .*not the ObjectId of a service principal/);
      assert.is(out[3], objectId);
      assert.equal(
        r.changes.map((c) => c.cmdlet),
        ['New-ManagementScope', 'New-ManagementRoleAssignment'],
      );
    },
  },
  {
    name: '-WhatIf changes nothing; a cmdlet with a built-in pause fails without -Confirm:$false in a non-interactive session',
    seed: { servicePrincipals: [sp], mailboxes: [mailbox('a@contoso.com')] },
    body: [
      `New-ServicePrincipal -AppId '${other.AppId}' -ObjectId '${other.ObjectId}' -WhatIf`,
      `Set-CASMailbox -Identity 'a@contoso.com' -SmtpClientAuthenticationDisabled $false -WhatIf`,
      `try { Add-RecipientPermission -Identity 'a@contoso.com' -Trustee '${objectId}' -AccessRights SendAs } catch { 'prompt: ' + $_ }`,
      `$null = Add-RecipientPermission -Identity 'a@contoso.com' -Trustee '${objectId}' -AccessRights SendAs -Confirm:$false`,
      `try { $null = Add-RecipientPermission -Identity 'a@contoso.com' -Trustee '${objectId}' -AccessRights SendAs -Confirm:$false } catch { 'twice: ' + $_ }`,
    ].join('\n'),
    check: (r) => {
      assert.match(r.output, /prompt: .*NonInteractive mode/);
      assert.match(r.output, /twice: .*already has SendAs/);
      assert.equal(
        r.changes.map((c) => c.cmdlet),
        ['Add-RecipientPermission'],
      );
      assert.is(r.state.servicePrincipals.length, 1);
      assert.is(r.state.mailboxes[0]!.SmtpClientAuthenticationDisabled, null);
    },
  },
  {
    name: 'the Remove- cmdlets undo what the Add-/New- cmdlets did; a scope in use cannot be removed',
    seed: {
      servicePrincipals: [sp],
      mailboxes: [mailbox('a@contoso.com')],
      groups: [group('senders@contoso.com', ['a@contoso.com'])],
    },
    body: [
      `$f = "MemberOfGroup -eq '{0}'" -f (Get-Group -Identity 'senders@contoso.com').DistinguishedName`,
      `$null = New-ManagementScope -Name 'scope' -RecipientRestrictionFilter $f`,
      `$null = New-ManagementRoleAssignment -Name 'assignment' -Role 'Application SMTP.SendAsApp' -App '${objectId}' -CustomResourceScope 'scope'`,
      `(Test-ServicePrincipalAuthorization -Identity '${objectId}' -Resource 'a@contoso.com').InScope`,
      `$null = Add-MailboxPermission -Identity 'a@contoso.com' -User '${objectId}' -AccessRights FullAccess -AutoMapping:$false`,
      `try { Remove-ManagementScope -Identity 'scope' -Confirm:$false } catch { 'in use: ' + $_ }`,
      `Remove-ManagementRoleAssignment -Identity 'assignment' -Confirm:$false`,
      `Remove-ManagementScope -Identity 'scope' -Confirm:$false`,
      `Remove-MailboxPermission -Identity 'a@contoso.com' -User '${objectId}' -AccessRights FullAccess -Confirm:$false`,
      `Remove-DistributionGroupMember -Identity 'senders@contoso.com' -Member 'a@contoso.com' -Confirm:$false`,
      `Remove-ServicePrincipal -Identity '${objectId}' -Confirm:$false`,
    ].join('\n'),
    check: (r) => {
      assert.is(r.exitCode, 0, r.output);
      assert.is(r.records[0]!.text, 'True');
      assert.match(r.output, /in use: .*remove the assignment first/);
      assert.equal(r.state.servicePrincipals, []);
      assert.equal(r.state.managementScopes, []);
      assert.equal(r.state.managementRoleAssignments, []);
      assert.equal(r.state.groups[0]!.Members, []);
      assert.not.ok(r.state.mailboxPermissions.some((p) => p.User === objectId));
    },
  },
  {
    name: 'service principals: -User / -Trustee <ObjectId> filter on the server (an AppId does not), no second one with the same AppId, removed ones leave unresolved entries hidden',
    seed: { servicePrincipals: [sp, other], mailboxes: [mailbox('a@contoso.com')] },
    body: [
      `$null = Add-MailboxPermission -Identity 'a@contoso.com' -User '${otherObjectId}' -AccessRights FullAccess`,
      `'user filter: ' + @(Get-MailboxPermission -Identity 'a@contoso.com' -User '${otherObjectId}').Count`,
      `'trustee filter: ' + @(Get-RecipientPermission -Identity 'a@contoso.com' -Trustee '${objectId}').Count`,
      `try { Get-MailboxPermission -Identity 'a@contoso.com' -User '${appId}' -ErrorAction Stop } catch { 'by AppId: ' + $_ }`,
      `try { New-ServicePrincipal -AppId '${appId}' -ObjectId 'abababab-0000-4000-8000-000000000000' } catch { 'same AppId: ' + $_ }`,
      `Remove-ServicePrincipal -Identity '${otherObjectId}' -Confirm:$false`,
      `@(Get-MailboxPermission -Identity 'a@contoso.com' | Where-Object User -eq '${otherObjectId}').Count`,
      `@(Get-MailboxPermission -Identity 'a@contoso.com' -IncludeUnresolvedPermissions | Where-Object User -eq '${otherObjectId}').Count`,
    ].join('\n'),
    check: (r) => {
      const out = r.records.map((x) => x.text);
      assert.equal(out.slice(0, 2), ['user filter: 1', 'trustee filter: 0']);
      assert.match(out[2]!, /^by AppId: The user ".*" wasn.t found/);
      assert.match(out[3]!, /^same AppId: .*already exists/);
      assert.equal(out.slice(4), ['0', '1']);
    },
  },
  {
    name: 'principalColumn DisplayName: User, Trustee and RoleAssignee show the display name; the -User filter still takes the ObjectId',
    seed: {
      servicePrincipals: [sp],
      mailboxes: [mailbox('a@contoso.com')],
      groups: [group('senders@contoso.com')],
      principalColumn: 'DisplayName',
    },
    body: [
      `$null = Add-MailboxPermission -Identity 'a@contoso.com' -User '${objectId}' -AccessRights FullAccess`,
      `$null = Add-RecipientPermission -Identity 'a@contoso.com' -Trustee '${objectId}' -AccessRights SendAs -Confirm:$false`,
      `(Get-MailboxPermission -Identity 'a@contoso.com' -User '${objectId}').User`,
      `(Get-RecipientPermission -Identity 'a@contoso.com' -Trustee '${objectId}').Trustee`,
      `$dn = (Get-DistributionGroup -Identity 'senders@contoso.com').DistinguishedName`,
      `$null = New-ManagementScope -Name 's' -RecipientRestrictionFilter ("MemberOfGroup -eq '{0}'" -f $dn)`,
      `$null = New-ManagementRoleAssignment -Name 'a' -Role 'Application SMTP.SendAsApp' -App '${objectId}' -CustomResourceScope 's'`,
      `(Get-ManagementRoleAssignment -Identity 'a').RoleAssignee`,
      `Set-StrictMode -Version Latest; $scope = Get-ManagementScope -Identity 's'; $scope.RecipientFilter -eq ("MemberOfGroup -eq '{0}'" -f $dn)`,
      `try { $scope.RecipientRestrictionFilter } catch { 'no RecipientRestrictionFilter property' }`,
    ].join('\n'),
    check: (r) => {
      assert.is(r.exitCode, 0, r.output);
      assert.equal(
        r.records.map((x) => x.text),
        [sp.DisplayName, sp.DisplayName, sp.DisplayName, 'True', 'no RecipientRestrictionFilter property'],
      );
      assert.is(r.state.mailboxPermissions.at(-1)!.User, objectId, 'stored by ObjectId');
    },
  },
  {
    name: 'groups: an owner check without -BypassSecurityGroupManagerCheck; Get-Group does not resolve an address and a miss lists every group',
    seed: { mailboxes: [mailbox('a@contoso.com')], groups: [group('senders@contoso.com'), group('other@contoso.com')] },
    body: [
      `try { Add-DistributionGroupMember -Identity 'senders@contoso.com' -Member 'a@contoso.com' } catch { 'no bypass: ' + $_ }`,
      `Add-DistributionGroupMember -Identity 'senders@contoso.com' -Member 'a@contoso.com' -BypassSecurityGroupManagerCheck`,
      `@(Get-Group -Identity 'senders@contoso.com').Count`,
      `@(Get-DistributionGroup -Identity 'senders@contoso.com').Count`,
    ].join('\n'),
    check: (r) => {
      const out = r.records.map((x) => x.text);
      assert.match(out[0]!, /^no bypass: .*manager of the group/);
      assert.equal(out.slice(1), ['2', '1']);
      assert.equal(r.state.groups[0]!.Members, ['a@contoso.com']);
    },
  },
  {
    name: 'Get-ConnectionInformation shows the TenantID the state gives, or leaves the property out; Get-AcceptedDomain lists the domains',
    seed: { organization: { TenantID: null, AcceptedDomains: ['contoso.com'] } },
    body: [
      `[bool] (Get-ConnectionInformation).PSObject.Properties['TenantID']`,
      `(Get-ConnectionInformation).State`,
      `(Get-AcceptedDomain).DomainName`,
    ].join('\n'),
    check: (r) => {
      assert.equal(
        r.records.map((x) => x.text),
        ['False', 'Connected', 'contoso.com'],
      );
    },
  },
  {
    name: 'a fault makes the named call throw; the calls before it are logged',
    seed: {
      mailboxes: [mailbox('a@contoso.com'), mailbox('b@contoso.com')],
      faults: [{ Cmdlet: 'Set-CASMailbox', Identity: 'b@contoso.com', Message: 'simulated outage' }],
    },
    body: "Set-CASMailbox -Identity 'a@contoso.com' -SmtpClientAuthenticationDisabled $false; Set-CASMailbox -Identity 'b@contoso.com' -SmtpClientAuthenticationDisabled $false",
    check: (r) => {
      assert.is(r.exitCode, 1);
      assert.match(r.output, /simulated outage/);
      assert.equal(
        r.changes.map((c) => c.parameters.Identity),
        ['a@contoso.com'],
      );
    },
  },
];

const pwsh = pwshForTier('exchange-sim.test.ts');
if (!pwsh) reportSkipped(cases.length, 'exchange-sim.test.ts');
else {
  const sim = new ExchangeSim(pwsh);
  let results: RunResult[] = [];
  test.before(async () => {
    cases.forEach((c, i) => {
      const file = join(sim.dir, `case-${i}.ps1`);
      writeFileSync(file, `${c.connect === false ? '' : 'Connect-ExchangeOnline -ShowBanner:$false\n'}${c.body}\n`);
      sim.run(sim.tenant(c.seed ?? {}), file);
    });
    results = await sim.execute();
  });
  test.after(() => sim.done());
  cases.forEach((c, i) => test(`simulated Exchange Online: ${c.name}`, () => c.check(results[i]!)));
  test.run();
}
