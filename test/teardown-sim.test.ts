// The retired environment's exchange-teardown.ps1 and the setup script's removal of `state: absent` mailboxes, run by
// real pwsh against the simulated Exchange Online (test/pwsh): fresh → removed, run again → nothing to do, -WhatIf →
// nothing changed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runInProcess } from './helpers/cli.ts';
import { rbacNames } from '../src/plan/exchange-names.ts';
import {
  ExchangeSim,
  group,
  mailbox,
  tenantState,
  type PrincipalColumn,
  type RunResult,
  type TenantState,
} from './helpers/exchange-sim.ts';
import { pwshForTier, reportSkipped } from './helpers/pwsh-tier.ts';

const retired = readFileSync(join(root, 'test/fixtures/generate/retired-environment/manifest.yaml'), 'utf8');
const removed = readFileSync(join(root, 'test/fixtures/generate/removed-mailbox/manifest.yaml'), 'utf8');
const salesObjectId = '0f1e2d3c-4b5a-4968-8776-655443322110';
const hrObjectId = '9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b';
const organization = { TenantID: '72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b' };
const sales = rbacNames('contoso', 'sales', 'production', '4d5e6f70-8192-4a3b-8c4d-5e6f70819203');
const other = {
  AppId: '99999999-2222-4333-8444-555555555555',
  ObjectId: '11111111-2222-4333-8444-555555555555',
  DisplayName: 'Another app',
};

/** Writes a manifest and generates its documents into the simulation's folder; returns the output folder. */
async function generated(sim: ExchangeSim, name: string, text: string): Promise<string> {
  writeFileSync(join(sim.dir, `${name}.yaml`), text);
  const r = await runInProcess(['generate', `${name}.yaml`], { cwd: sim.dir });
  assert.is(r.code, 0, r.stderr);
  return join(sim.dir, name);
}

const appEntries = (s: TenantState, objectId: string) => ({
  fullAccess: s.mailboxPermissions
    .filter((p) => p.User === objectId)
    .map((p) => p.Identity)
    .sort(),
  sendAs: s.recipientPermissions
    .filter((p) => p.Trustee === objectId)
    .map((p) => p.Identity)
    .sort(),
});

const pwsh = pwshForTier('teardown-sim.test.ts');
if (!pwsh) reportSkipped(4, 'teardown-sim.test.ts');
else {
  const sim = new ExchangeSim(pwsh);
  test.after(() => sim.done());

  const gone = await generated(sim, 'sales-retired', retired);
  const teardown = join(gone, 'production/exchange-teardown.ps1');

  // Whatever the User / Trustee / RoleAssignee columns show for a service principal (no cmdlet page says).
  for (const column of ['ObjectId', 'DisplayName'] as PrincipalColumn[])
    test(`exchange-teardown.ps1 (${column} in the User column): -WhatIf changes nothing, then everything the setup made is removed, then nothing is left to do`, async () => {
      // The tenant as exchange-setup.ps1 leaves it for this environment (its own tests prove that), plus the defaults.
      const sp = {
        AppId: '4d5e6f70-8192-4a3b-8c4d-5e6f70819203',
        ObjectId: salesObjectId,
        DisplayName: 'Bizagi SALES mail (production)',
      };
      const addresses = ['sales@contoso.com', 'sales-noreply@contoso.com', 'orders@contoso.com'];
      const base = tenantState({
        mailboxes: addresses.map((a) =>
          mailbox(a, { SmtpClientAuthenticationDisabled: a === 'orders@contoso.com' ? null : false }),
        ),
      });
      const senders = group('bizagi-senders@contoso.com', ['sales@contoso.com', 'sales-noreply@contoso.com']);
      const seed: TenantState = {
        ...base,
        organization,
        principalColumn: column,
        servicePrincipals: [sp],
        mailboxPermissions: [
          ...base.mailboxPermissions,
          {
            Identity: 'sales@contoso.com',
            User: salesObjectId,
            AccessRights: ['FullAccess'],
            IsInherited: false,
            Deny: false,
          },
        ],
        recipientPermissions: [
          ...base.recipientPermissions,
          {
            Identity: 'orders@contoso.com',
            Trustee: salesObjectId,
            AccessRights: ['SendAs'],
            AccessControlType: 'Allow',
            IsInherited: false,
          },
        ],
        groups: [senders],
        managementScopes: [
          { Name: sales.scopeName, RecipientRestrictionFilter: `MemberOfGroup -eq '${senders.DistinguishedName}'` },
        ],
        managementRoleAssignments: [
          {
            Name: sales.assignmentName,
            Role: 'Application SMTP.SendAsApp',
            App: salesObjectId,
            CustomResourceScope: sales.scopeName,
          },
        ],
      };
      const tenant = sim.tenant(seed);
      const noop = join(sim.dir, 'noop.ps1');
      writeFileSync(noop, '$null = 0\n');
      sim.run(tenant, noop);
      sim.run(tenant, teardown, { WhatIf: true });
      sim.run(tenant, teardown);
      sim.run(tenant, teardown);
      // Another tenant: another app has FullAccess on the same mailbox, and SMTP AUTH is reset on request.
      const shared = sim.tenant({
        ...seed,
        servicePrincipals: [sp, other],
        mailboxPermissions: [
          ...seed.mailboxPermissions,
          {
            Identity: 'sales@contoso.com',
            User: other.ObjectId,
            AccessRights: ['FullAccess'],
            IsInherited: false,
            Deny: false,
          },
        ],
      });
      sim.run(shared, noop);
      sim.run(shared, noop);
      sim.run(shared, teardown, { ResetSmtpAuth: true });
      const [setup, whatIf, removal, again, , , reset] = (await sim.execute()) as RunResult[];

      assert.equal(appEntries(setup!.state, salesObjectId), {
        fullAccess: ['sales@contoso.com'],
        sendAs: ['orders@contoso.com'],
      });

      assert.is(whatIf!.exitCode, 0, whatIf!.output);
      assert.equal(whatIf!.changes, [], '-WhatIf changes nothing');
      assert.match(whatIf!.output, /would be removed \(WhatIf\)/);
      assert.equal(whatIf!.state, setup!.state);

      assert.is(removal!.exitCode, 0, removal!.output);
      assert.equal(
        removal!.changes.map((c) => c.cmdlet),
        [
          'Remove-MailboxPermission',
          'Remove-RecipientPermission',
          'Remove-ManagementRoleAssignment',
          'Remove-ManagementScope',
          'Remove-ServicePrincipal',
        ],
      );
      assert.equal(appEntries(removal!.state, salesObjectId), { fullAccess: [], sendAs: [] });
      assert.equal(removal!.state.servicePrincipals, []);
      assert.equal(removal!.state.managementScopes, []);
      assert.equal(removal!.state.managementRoleAssignments, []);
      assert.equal(
        removal!.state.groups[0]!.Members.sort(),
        ['sales-noreply@contoso.com', 'sales@contoso.com'],
        'the group is left as it is',
      );
      assert.ok(
        removal!.state.mailboxPermissions.some((p) => p.User === 'NT AUTHORITY\\SELF'),
        'SELF entries untouched',
      );
      assert.equal(
        removal!.state.mailboxes.map((m) => m.SmtpClientAuthenticationDisabled),
        [false, false, null],
        'SMTP AUTH left on without -ResetSmtpAuth',
      );
      assert.match(removal!.output, /left as it is: SmtpClientAuthenticationDisabled False \(use -ResetSmtpAuth\)/);

      assert.is(again!.exitCode, 0, again!.output);
      assert.equal(again!.changes, [], 'run again: nothing to do');
      assert.match(again!.output, /No service principal with ObjectId .*Nothing was changed/);
      assert.match(again!.output, /already absent/);
      assert.not.match(again!.output, /removed\s*$/m);

      assert.is(reset!.exitCode, 0, reset!.output);
      assert.equal(
        reset!.state.servicePrincipals.map((p) => p.ObjectId),
        [other.ObjectId],
        "only this app's principal is removed",
      );
      assert.equal(
        reset!.state.mailboxPermissions.filter((p) => p.User === other.ObjectId).map((p) => p.Identity),
        ['sales@contoso.com'],
        "another app's FullAccess is kept",
      );
      assert.equal(
        reset!.state.mailboxes.map((m) => m.SmtpClientAuthenticationDisabled),
        [null, null, null],
        '-ResetSmtpAuth: the organization setting again',
      );
    });

  // A second app owns an assignment and a scope of exactly this app's names; and this app's principal is gone.
  test("exchange-teardown.ps1 leaves another app's same-named RBAC objects alone, and changes nothing once the service principal is gone", async () => {
    const sp = {
      AppId: '4d5e6f70-8192-4a3b-8c4d-5e6f70819203',
      ObjectId: salesObjectId,
      DisplayName: 'Bizagi SALES mail (production)',
    };
    const senders = group('bizagi-senders@contoso.com', ['sales@contoso.com']);
    const filter = `MemberOfGroup -eq '${senders.DistinguishedName}'`;
    const base = tenantState({
      mailboxes: ['sales@contoso.com', 'sales-noreply@contoso.com', 'orders@contoso.com'].map((a) => mailbox(a)),
    });
    const theirs: TenantState = {
      ...base,
      organization,
      principalColumn: 'DisplayName',
      servicePrincipals: [sp, other],
      groups: [senders],
      managementScopes: [{ Name: sales.scopeName, RecipientRestrictionFilter: filter }],
      managementRoleAssignments: [
        {
          Name: sales.assignmentName,
          Role: 'Application SMTP.SendAsApp',
          App: other.ObjectId,
          CustomResourceScope: sales.scopeName,
        },
      ],
    };
    const orphaned: TenantState = {
      ...base,
      organization,
      mailboxPermissions: [
        ...base.mailboxPermissions,
        {
          Identity: 'sales@contoso.com',
          User: salesObjectId,
          AccessRights: ['FullAccess'],
          IsInherited: false,
          Deny: false,
        },
      ],
    };
    sim.run(sim.tenant(theirs), teardown);
    sim.run(sim.tenant(orphaned), teardown);
    const [kept, spGone] = (await sim.execute()) as RunResult[];

    assert.is(kept!.exitCode, 0, kept!.output);
    assert.equal(
      kept!.changes.map((c) => c.cmdlet),
      ['Remove-ServicePrincipal'],
    );
    assert.equal(
      kept!.state.managementRoleAssignments,
      theirs.managementRoleAssignments,
      "another app's assignment is kept",
    );
    assert.equal(kept!.state.managementScopes, theirs.managementScopes, 'and the scope it uses');
    assert.match(kept!.output, /left: another app's/);

    assert.is(spGone!.exitCode, 0, spGone!.output);
    assert.equal(spGone!.changes, [], 'nothing is changed without the service principal');
    assert.match(spGone!.output, /No service principal with ObjectId 0f1e2d3c-.*Nothing was changed/);
  });

  test("exchange-setup.ps1 with a state: absent mailbox removes the app's FullAccess and the SendAs only it used; -WhatIf and a second run change nothing", async () => {
    const before = await generated(sim, 'hr-before', removed.replace('        state: absent\n', ''));
    const after = await generated(sim, 'hr-after', removed);
    const tenant = sim.tenant({
      organization,
      mailboxes: ['hr@contoso.com', 'hr-archive@contoso.com', 'jobs@contoso.com', 'hr-archive-noreply@contoso.com'].map(
        (a) => mailbox(a),
      ),
    });
    sim.run(tenant, join(before, 'production/exchange-setup.ps1'));
    sim.run(tenant, join(after, 'production/exchange-setup.ps1'), { WhatIf: true });
    sim.run(tenant, join(after, 'production/exchange-setup.ps1'));
    sim.run(tenant, join(after, 'production/exchange-setup.ps1'));
    const [setup, whatIf, removal, again] = (await sim.execute()) as RunResult[];

    assert.is(setup!.exitCode, 0, setup!.output);
    assert.equal(appEntries(setup!.state, hrObjectId), {
      fullAccess: ['hr-archive@contoso.com', 'hr@contoso.com'],
      sendAs: ['hr-archive-noreply@contoso.com', 'jobs@contoso.com'],
    });
    assert.is(whatIf!.exitCode, 0, whatIf!.output);
    assert.equal(whatIf!.changes, []);
    assert.match(
      whatIf!.output,
      /hr-archive@contoso\.com\s+FullAccess removed \(state: absent\)\s+would be removed \(WhatIf\)/,
    );
    assert.is(removal!.exitCode, 0, removal!.output);
    assert.equal(
      removal!.changes.map((c) => `${c.cmdlet} ${c.parameters.Identity}`),
      ['Remove-MailboxPermission hr-archive@contoso.com', 'Remove-RecipientPermission hr-archive-noreply@contoso.com'],
    );
    assert.equal(
      appEntries(removal!.state, hrObjectId),
      { fullAccess: ['hr@contoso.com'], sendAs: ['jobs@contoso.com'] },
      'jobs@ is still sent as by hr@',
    );
    assert.is(again!.exitCode, 0, again!.output);
    assert.equal(again!.changes, []);
    assert.match(again!.output, /hr-archive@contoso\.com\s+FullAccess removed \(state: absent\)\s+already absent/);
  });

  test.run();
}
