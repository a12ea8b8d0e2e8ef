// The generated exchange-setup.ps1, run for real by pwsh against the simulated Exchange Online (test/pwsh), in every
// state it can meet. Every run of this file is queued first and executed in one pwsh process (start-up is slow);
// each test then checks its run's exit code, output, end state and calls. See test/helpers/exchange-sim.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadManifest } from '../src/manifest/load.ts';
import { buildPlan, type EnvironmentPlan } from '../src/plan/plan.ts';
import { root, runInProcess } from './helpers/cli.ts';
import {
  ExchangeSim,
  group,
  mailbox,
  self,
  spawnPwsh,
  tenantState,
  type Parameters,
  type RunResult,
  type Tenant,
  type TenantSeed,
  type TenantState,
} from './helpers/exchange-sim.ts';
import { pwshForTier, reportSkipped } from './helpers/pwsh-tier.ts';

const today = '2026-11-28';

/** The committed golden scripts, each with its manifest. */
const goldens = [
  { manifest: 'runbooks/contoso-hr.yaml', out: 'runbooks/contoso-hr' },
  ...['china-send-as', 'placeholders', 'rbac-smtp', 'rbac-smtp-only', 'usgov-pop-on-premises'].map((c) => ({
    manifest: `test/fixtures/generate/${c}/manifest.yaml`,
    out: `test/fixtures/generate/${c}/expected`,
  })),
];

async function environments(manifestPath: string): Promise<EnvironmentPlan[]> {
  const loaded = await loadManifest(join(root, manifestPath), { today });
  if (!loaded.manifest) throw new Error(`${manifestPath} does not validate`);
  return buildPlan(loaded.manifest, basename(manifestPath)).environments;
}

/** IDs for scripts generated before the app was registered (their parameters are mandatory then). */
const placeholderIds = {
  AppId: '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d',
  ObjectId: '7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d0e',
};
const ids = (env: EnvironmentPlan) => ({
  AppId: env.app.clientId ?? placeholderIds.AppId,
  ObjectId: env.app.objectId ?? placeholderIds.ObjectId,
});
const idParameters = (env: EnvironmentPlan): Parameters => (env.app.clientId ? {} : { ...placeholderIds });

/** The environment's tenant ID (the authority ends with it). */
const tenantIdOf = (env: EnvironmentPlan) => env.authority.split('/').pop()!;

/**
 * A tenant holding every mailbox and address the environment names (and its RBAC group, with no members yet),
 * signed in to as the manifest's tenant.
 */
function seedFor(env: EnvironmentPlan, extra: TenantSeed = {}): TenantSeed {
  const addresses = [...new Set([...env.mailboxes.map((m) => m.address), ...env.script.sendAs])];
  return {
    mailboxes: addresses.map((a) => mailbox(a)),
    groups: env.smtp.rbac && env.smtp.group ? [group(env.smtp.group)] : [],
    organization: { TenantID: tenantIdOf(env) },
    ...extra,
  };
}

/** Exactly what the manifest asks for, on top of the seed: nothing more. */
function expectedEnd(env: EnvironmentPlan, seed: TenantSeed): TenantState {
  const s = structuredClone(tenantState(seed));
  const { AppId, ObjectId } = ids(env);
  s.servicePrincipals = [{ AppId, ObjectId, DisplayName: env.app.displayName }];
  for (const m of env.script.fullAccess)
    s.mailboxPermissions.push({
      Identity: m,
      User: ObjectId,
      AccessRights: ['FullAccess'],
      IsInherited: false,
      Deny: false,
    });
  for (const a of env.script.sendAs)
    s.recipientPermissions.push({
      Identity: a,
      Trustee: ObjectId,
      AccessRights: ['SendAs'],
      AccessControlType: 'Allow',
      IsInherited: false,
    });
  for (const m of s.mailboxes)
    if (env.script.smtp.includes(m.PrimarySmtpAddress)) m.SmtpClientAuthenticationDisabled = false;
  if (env.smtp.rbac) {
    const g = s.groups.find((x) => x.PrimarySmtpAddress === env.smtp.group)!;
    g.Members = [...env.script.smtp];
    s.managementScopes = [
      {
        Name: env.smtp.scopeName,
        RecipientRestrictionFilter: `MemberOfGroup -eq '${g.DistinguishedName.replace(/'/g, "''")}'`,
      },
    ];
    s.managementRoleAssignments = [
      {
        Name: env.smtp.assignmentName,
        Role: 'Application SMTP.SendAsApp',
        App: ObjectId,
        CustomResourceScope: env.smtp.scopeName,
      },
    ];
  }
  return s;
}

/** Order-free comparison: every list sorted by its entries' canonical JSON (other values as they are). */
function canonical(s: TenantState): unknown {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, sortKeys(x)]),
          )
        : v;
  return Object.fromEntries(
    Object.entries(s)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, list]) => [
        k,
        Array.isArray(list)
          ? list
              .map(sortKeys)
              .map((x) => JSON.stringify(x))
              .sort()
          : sortKeys(list),
      ]),
  );
}

/** The summary table's rows: [step, target, change, status, current -> new], parsed from the script's output. */
function rows(r: RunResult): string[][] {
  const lines = r.records.filter((x) => x.stream === 'information').map((x) => x.text);
  const at = lines.findIndex((l) => /^Step\s+Target\s+Change\s+Status/.test(l));
  if (at < 0) return [];
  const header = lines[at]!;
  const starts = ['Step', 'Target', 'Change', 'Status', 'Current -> New'].map((h) => header.indexOf(h));
  const body = lines.slice(at + 2);
  const end = body.findIndex((l) => !l.trim());
  return body
    .slice(0, end < 0 ? undefined : end)
    .map((l) => starts.map((s, i) => l.slice(s, starts[i + 1] ?? undefined).trim()));
}

/** The script's last word: its final sentence. */
const lastLine = (r: RunResult) => r.records.filter((x) => x.stream === 'information').at(-1)?.text ?? '';

const cmdlets = (r: RunResult) =>
  r.changes.map(
    (c) => `${c.cmdlet} ${String(c.parameters.Identity ?? c.parameters.Name ?? c.parameters.ObjectId ?? '')}`,
  );
const explain = (r: RunResult) => `exit ${r.exitCode}\n${r.output}`;

const pwsh = pwshForTier('exchange-script.test.ts');
const sim = new ExchangeSim(pwsh);
let count = 0;
let results: RunResult[] = [];
const result = (i: number) => results[i]!;
/** A scenario: its runs are queued where it is declared; all runs execute at once before the first check. */
const scenario = (name: string, check: () => void) => {
  count++;
  test(name, check);
};
const step = (f: () => Promise<void>) => f();
const run = (t: Tenant, script: string, params: Parameters = {}) => sim.run(t, join(root, script), params);

// ------------------------------------------------------------------ every golden script: WhatIf, fresh, run again
for (const g of goldens) {
  await step(async () => {
    for (const env of await environments(g.manifest)) {
      const script = `${g.out}/${env.name}/exchange-setup.ps1`;
      const seed = seedFor(env);
      const t = sim.tenant(seed);
      const whatIf = run(t, script, { ...idParameters(env), WhatIf: true });
      const fresh = run(t, script, idParameters(env));
      const again = run(t, script, idParameters(env));
      scenario(`${script}: -WhatIf changes nothing, exits 0 and lists what would change`, () => {
        const r = result(whatIf);
        assert.is(r.exitCode, 0, explain(r));
        assert.equal(r.changes, []);
        const changing = rows(r).filter((x) => x[3] !== 'already present');
        assert.ok(changing.length > 0 && changing.every((x) => /^would be /.test(x[3]!)), explain(r));
        for (const m of env.script.fullAccess)
          assert.ok(
            rows(r).some((x) => x[1] === m && x[2] === 'FullAccess' && x[3] === 'would be created (WhatIf)'),
            m,
          );
        assert.ok(r.calls.some((c) => c.cmdlet === 'Disconnect-ExchangeOnline'));
      });
      scenario(`${script}: a fresh tenant ends exactly as the manifest asks, nothing more`, () => {
        const r = result(fresh);
        assert.is(r.exitCode, 0, explain(r));
        assert.equal(canonical(r.state), canonical(expectedEnd(env, seed)));
      });
      scenario(`${script}: run again, nothing changes and every row is already present`, () => {
        const r = result(again);
        assert.is(r.exitCode, 0, explain(r));
        assert.equal(r.changes, []);
        assert.ok(rows(r).length > 0 && rows(r).every((x) => x[3] === 'already present'), explain(r));
      });
    }
  });
}

// ------------------------------------------------------------------ contoso-hr production: partial and broken states
const hrScript = 'runbooks/contoso-hr/production/exchange-setup.ps1';
await step(async () => {
  const env = (await environments('runbooks/contoso-hr.yaml')).find((e) => e.name === 'production')!;
  const { AppId, ObjectId } = ids(env);
  const sp = { AppId, ObjectId, DisplayName: env.app.displayName };
  const base = seedFor(env);

  // Partial state: the principal and hr@'s grant exist, SMTP AUTH is on for hr@.
  const partialSeed = seedFor(env, {
    servicePrincipals: [sp],
    mailboxes: base.mailboxes!.map((m) =>
      m.PrimarySmtpAddress === 'hr@contoso.com' ? { ...m, SmtpClientAuthenticationDisabled: false } : m,
    ),
  });
  const partialState = tenantState(partialSeed);
  partialState.mailboxPermissions.push({
    Identity: 'hr@contoso.com',
    User: ObjectId,
    AccessRights: ['FullAccess'],
    IsInherited: false,
    Deny: false,
  });
  const partial = run(sim.tenant(partialState), hrScript);
  scenario('partial state: only the missing parts change', () => {
    const r = result(partial);
    assert.is(r.exitCode, 0, explain(r));
    assert.equal(cmdlets(r), ['Add-MailboxPermission hr-archive@contoso.com']);
    assert.equal(canonical(r.state), canonical(expectedEnd(env, partialSeed)));
  });

  // "Already present" means present for this app: SELF, inherited, Deny and other principals' entries do not count.
  const lookalikes = tenantState(seedFor(env, { servicePrincipals: [sp] }));
  lookalikes.mailboxPermissions.push(
    { Identity: 'hr@contoso.com', User: ObjectId, AccessRights: ['FullAccess'], IsInherited: true, Deny: false },
    {
      Identity: 'hr-archive@contoso.com',
      User: ObjectId,
      AccessRights: ['FullAccess'],
      IsInherited: false,
      Deny: true,
    },
    {
      Identity: 'hr-archive@contoso.com',
      User: 'someone@contoso.com',
      AccessRights: ['FullAccess'],
      IsInherited: false,
      Deny: false,
    },
  );
  const lookalike = run(sim.tenant(lookalikes), hrScript);
  scenario("SELF, inherited, Deny and other users' FullAccess entries are not taken for the app's", () => {
    const r = result(lookalike);
    assert.is(r.exitCode, 0, explain(r));
    assert.equal(
      cmdlets(r).filter((c) => c.startsWith('Add-MailboxPermission')),
      ['Add-MailboxPermission hr@contoso.com', 'Add-MailboxPermission hr-archive@contoso.com'],
    );
    assert.ok(
      r.warnings.some((w) => /hr-archive@contoso\.com has a Deny FullAccess entry/.test(w)),
      explain(r),
    );
  });

  // The Object ID belongs to a principal of another app: stop before any change, with the runbook's words.
  const foreign = run(
    sim.tenant(
      seedFor(env, {
        servicePrincipals: [{ AppId: '12345678-9abc-4def-8123-456789abcdef', ObjectId, DisplayName: 'Another app' }],
      }),
    ),
    hrScript,
  );
  scenario(
    'a service principal at the Object ID with another AppId: stops before any change, as the runbook says',
    () => {
      const r = result(foreign);
      assert.is(r.exitCode, 1);
      assert.equal(r.changes, []);
      assert.match(r.output, /has AppId 12345678-9abc-4def-8123-456789abcdef, not 3c4d5e6f/);
      const said = 'cannot be corrected in place: remove it with Remove-ServicePrincipal and create it again';
      assert.match(r.output, said);
      const runbook = readFileSync(join(root, 'runbooks/contoso-hr/production/runbook.md'), 'utf8')
        .replace(/`/g, '')
        .replace(/\s+/g, ' ');
      assert.ok(runbook.includes(said), 'the runbook gives the same instruction');
      assert.ok(r.calls.some((c) => c.cmdlet === 'Disconnect-ExchangeOnline'));
    },
  );

  // A stale principal: the right AppId at the App registration's Object ID.
  const staleSp = { AppId, ObjectId: 'e1e2e3e4-0000-4000-8000-00000000aaaa', DisplayName: env.app.displayName };
  const staleOnly = run(sim.tenant(seedFor(env, { servicePrincipals: [staleSp] })), hrScript);
  const staleWhatIf = run(sim.tenant(seedFor(env, { servicePrincipals: [staleSp] })), hrScript, {
    RemoveStaleServicePrincipal: true,
    WhatIf: true,
  });
  const staleRemoved = run(sim.tenant(seedFor(env, { servicePrincipals: [staleSp] })), hrScript, {
    RemoveStaleServicePrincipal: true,
  });
  const staleBeside = run(sim.tenant(seedFor(env, { servicePrincipals: [staleSp, sp] })), hrScript);
  scenario(
    'a stale service principal (same AppId, another ObjectId) is reported and nothing changes without the switch',
    () => {
      const r = result(staleOnly);
      assert.is(r.exitCode, 1);
      assert.equal(r.changes, []);
      assert.ok(
        r.warnings.some((w) => w.includes(staleSp.ObjectId) && w.includes('-RemoveStaleServicePrincipal')),
        explain(r),
      );
      assert.ok(
        rows(r).some(
          (x) => x[1]!.startsWith(staleSp.ObjectId) && x[3] === 'stale: not removed (use -RemoveStaleServicePrincipal)',
        ),
        explain(r),
      );
    },
  );
  scenario('-RemoveStaleServicePrincipal with -WhatIf only says it would remove it', () => {
    const r = result(staleWhatIf);
    assert.is(r.exitCode, 0, explain(r));
    assert.equal(r.changes, []);
    assert.ok(
      rows(r).some((x) => x[1]!.startsWith(staleSp.ObjectId) && x[3] === 'would be removed (WhatIf)'),
      explain(r),
    );
  });
  scenario(
    '-RemoveStaleServicePrincipal removes the stale principal (by its ObjectId), then registers the right one',
    () => {
      const r = result(staleRemoved);
      assert.is(r.exitCode, 0, explain(r));
      assert.equal(cmdlets(r).slice(0, 2), [
        `Remove-ServicePrincipal ${staleSp.ObjectId}`,
        `New-ServicePrincipal ${ObjectId}`,
      ]);
      assert.equal(r.state.servicePrincipals, [sp]);
    },
  );
  scenario('a stale principal beside the right one: a warning, and the setup goes on', () => {
    const r = result(staleBeside);
    assert.is(r.exitCode, 0, explain(r));
    assert.ok(r.warnings.some((w) => w.includes(staleSp.ObjectId)));
    assert.equal(r.state.servicePrincipals.length, 2);
    assert.ok(cmdlets(r).includes('Add-MailboxPermission hr@contoso.com'));
  });

  // A mailbox that does not exist: named in an error; the others go on; the exit code says it failed.
  const missingSeed = seedFor(env, { mailboxes: [mailbox('hr@contoso.com')] });
  const missing = run(sim.tenant(missingSeed), hrScript);
  scenario('a mailbox that does not exist: a clear error naming it, the others go on, exit 1', () => {
    const r = result(missing);
    assert.is(r.exitCode, 1);
    assert.match(lastLine(r), /^2 change\(s\) failed, the others were done .*hr-archive@contoso\.com/, explain(r));
    assert.equal(r.errors, [], 'a sentence, not an error record');
    assert.ok(
      rows(r).some((x) => x[1] === 'hr-archive@contoso.com' && /^FAILED: .*couldn't be found/.test(x[3]!)),
      explain(r),
    );
    assert.ok(cmdlets(r).includes('Add-MailboxPermission hr@contoso.com'));
    assert.ok(cmdlets(r).includes('Set-CASMailbox hr@contoso.com'));
  });

  // IMAP or POP disabled: a warning, nothing changed about it.
  const disabled = run(
    sim.tenant(
      seedFor(env, {
        mailboxes: [
          mailbox('hr@contoso.com', { ImapEnabled: false }),
          mailbox('hr-archive@contoso.com', { PopEnabled: false }),
        ],
      }),
    ),
    hrScript,
  );
  scenario('IMAP or POP disabled on a mailbox that needs it: a warning each, left as it is', () => {
    const r = result(disabled);
    assert.is(r.exitCode, 0, explain(r));
    assert.ok(r.warnings.some((w) => /^IMAP is disabled on hr@contoso\.com/.test(w)));
    assert.ok(r.warnings.some((w) => /^POP is disabled on hr-archive@contoso\.com/.test(w)));
    assert.not.ok(r.changes.some((c) => 'ImapEnabled' in c.parameters || 'PopEnabled' in c.parameters));
  });

  // A cmdlet that throws half-way: the rest goes on, the summary and Disconnect still happen, exit non-zero.
  const halfway = run(
    sim.tenant(
      seedFor(env, {
        faults: [
          {
            Cmdlet: 'Add-MailboxPermission',
            Identity: 'hr@contoso.com',
            Message: 'simulated: the service is unavailable',
          },
        ],
      }),
    ),
    hrScript,
  );
  const early = run(
    sim.tenant(seedFor(env, { faults: [{ Cmdlet: 'Get-ServicePrincipal', Message: 'simulated: throttled' }] })),
    hrScript,
  );
  scenario('a cmdlet that throws half-way: Disconnect still runs, the summary shows what was done, exit 1', () => {
    const r = result(halfway);
    assert.is(r.exitCode, 1);
    assert.ok(
      rows(r).some((x) => x[1] === 'hr@contoso.com' && x[3] === 'FAILED: simulated: the service is unavailable'),
      explain(r),
    );
    assert.ok(
      rows(r).some((x) => x[1] === 'hr-archive@contoso.com' && x[3] === 'created'),
      explain(r),
    );
    assert.is(r.calls.at(-1)!.cmdlet, 'Disconnect-ExchangeOnline');
    const e = result(early);
    assert.is(e.exitCode, 1);
    assert.match(e.output, /simulated: throttled/);
    assert.equal(e.changes, []);
    assert.is(e.calls.at(-1)!.cmdlet, 'Disconnect-ExchangeOnline');
  });
});

// ------------------------------------------------------------------ RBAC drift
const rbacScript = 'test/fixtures/generate/rbac-smtp/expected/production/exchange-setup.ps1';
await step(async () => {
  const env = (await environments('test/fixtures/generate/rbac-smtp/manifest.yaml'))[0]!;
  const { AppId, ObjectId } = ids(env);
  const moved = group('mail-senders@contoso.com');
  const seed = seedFor(env, { groups: [group(env.smtp.group!), moved] });
  const t = sim.tenant(seed);
  const created = run(t, rbacScript);
  const changedGroup = run(t, rbacScript, { SmtpGroup: moved.PrimarySmtpAddress });
  const presentAgain = run(t, rbacScript, { SmtpGroup: moved.PrimarySmtpAddress });
  scenario("RBAC: the group's members, the scope and the assignment are created", () => {
    const r = result(created);
    assert.is(r.exitCode, 0, explain(r));
    assert.equal(r.state.managementRoleAssignments, [
      {
        Name: env.smtp.assignmentName,
        Role: 'Application SMTP.SendAsApp',
        App: ObjectId,
        CustomResourceScope: env.smtp.scopeName,
      },
    ]);
    const nra = r.changes.find((c) => c.cmdlet === 'New-ManagementRoleAssignment')!;
    assert.is(nra.parameters.App, ObjectId, '-App is the ObjectId (the cmdlet reference), not the AppId');
  });
  scenario(
    "RBAC: the manifest's group changed, so the scope's filter is updated (ShouldProcess), not reported as present",
    () => {
      const r = result(changedGroup);
      assert.is(r.exitCode, 0, explain(r));
      assert.ok(cmdlets(r).includes(`Set-ManagementScope ${env.smtp.scopeName}`), explain(r));
      assert.equal(r.state.managementScopes, [
        { Name: env.smtp.scopeName, RecipientRestrictionFilter: `MemberOfGroup -eq '${moved.DistinguishedName}'` },
      ]);
      assert.ok(rows(r).some((x) => x[2] === 'scope filter' && x[3] === 'changed'));
    },
  );
  scenario('RBAC: run again after the change, everything present', () => {
    const r = result(presentAgain);
    assert.is(r.exitCode, 0, explain(r));
    assert.equal(r.changes, []);
    assert.ok(
      rows(r).every((x) => x[3] === 'already present'),
      explain(r),
    );
  });

  // A group with more members than the cmdlets list by default (1000): the app's mailboxes, past those, are found.
  const crowd = Array.from({ length: 1200 }, (_, i) => `member${i}@contoso.com`);
  const big = run(
    sim.tenant(seedFor(env, { groups: [group(env.smtp.group!, [...crowd, ...env.script.smtp])] })),
    rbacScript,
  );
  scenario('RBAC: mailboxes past the first 1000 members of a big group are found, not added again', () => {
    const r = result(big);
    assert.is(r.exitCode, 0, explain(r));
    assert.not.ok(
      r.changes.some((c) => c.cmdlet === 'Add-DistributionGroupMember'),
      explain(r),
    );
  });

  // An assignment of the right name but another scope, or assigned to another service principal.
  const otherApp = {
    AppId: '12345678-9abc-4def-8123-456789abcdef',
    ObjectId: '87654321-9abc-4def-8123-456789abcdef',
    DisplayName: 'Another app',
  };
  const scopeFilter = `MemberOfGroup -eq '${group(env.smtp.group!).DistinguishedName}'`;
  const drift = (assignment: { App: string; CustomResourceScope: string }) =>
    sim.tenant({
      ...seed,
      servicePrincipals: [{ AppId, ObjectId, DisplayName: env.app.displayName }, otherApp],
      managementScopes: [
        { Name: env.smtp.scopeName, RecipientRestrictionFilter: scopeFilter },
        { Name: 'Old scope', RecipientRestrictionFilter: scopeFilter },
      ],
      managementRoleAssignments: [{ Name: env.smtp.assignmentName, Role: 'Application SMTP.SendAsApp', ...assignment }],
    });
  const otherScope = run(drift({ App: ObjectId, CustomResourceScope: 'Old scope' }), rbacScript);
  const toOtherApp = run(drift({ App: otherApp.ObjectId, CustomResourceScope: env.smtp.scopeName }), rbacScript);
  const driftWhatIf = run(drift({ App: otherApp.ObjectId, CustomResourceScope: 'Old scope' }), rbacScript, {
    WhatIf: true,
  });
  const parenthesized = run(
    sim.tenant({
      ...seed,
      servicePrincipals: [{ AppId, ObjectId, DisplayName: env.app.displayName }],
      groups: [group(env.smtp.group!, [...env.script.smtp]), moved],
      managementScopes: [{ Name: env.smtp.scopeName, RecipientRestrictionFilter: `(${scopeFilter})` }],
      managementRoleAssignments: [
        {
          Name: env.smtp.assignmentName,
          Role: 'Application SMTP.SendAsApp',
          App: ObjectId,
          CustomResourceScope: env.smtp.scopeName,
        },
      ],
    }),
    rbacScript,
  );
  scenario('RBAC: a scope filter given back in parentheses is the same filter, not drift', () => {
    const r = result(parenthesized);
    assert.is(r.exitCode, 0, explain(r));
    assert.equal(
      r.changes.filter((c) => /Management/.test(c.cmdlet)),
      [],
      explain(r),
    );
  });
  scenario('RBAC: an assignment with another scope is moved to the right one', () => {
    const r = result(otherScope);
    assert.is(r.exitCode, 0, explain(r));
    assert.ok(cmdlets(r).includes(`Set-ManagementRoleAssignment ${env.smtp.assignmentName}`));
    assert.is(r.state.managementRoleAssignments[0]!.CustomResourceScope, env.smtp.scopeName);
  });
  scenario("RBAC: an assignment of this name that is another app's is left alone, and the run fails saying so", () => {
    const r = result(toOtherApp);
    assert.is(r.exitCode, 1, explain(r));
    assert.equal(
      r.changes.filter((c) => /Management/.test(c.cmdlet)),
      [],
      explain(r),
    );
    assert.is(r.state.managementRoleAssignments[0]!.App, otherApp.ObjectId);
    assert.ok(
      rows(r).some((x) => x[1] === env.smtp.assignmentName && /^FAILED: .*is not this app's/.test(x[3]!)),
      explain(r),
    );
    const w = result(driftWhatIf);
    assert.is(w.exitCode, 1, explain(w));
    assert.equal(w.changes, []);
    assert.match(lastLine(w), /^Nothing was changed \(-WhatIf\), and 1 check\(s\) failed/, explain(w));
  });
});

// ------------------------------------------------------------------ hostile and non-ASCII values, read as 5.1 reads them
const hostileDir = sim.dir;
await step(async () => {
  const displayName = 'Ñandú ёлка ‘q’ \'single\' "d" `t` $(Get-Date) ${x}; # <# #> | [a](b) *_~&!\\ @ {} 😀 שלום עולם';
  const addresses = [
    "o'neil$x{y}@contoso.com",
    'a&b#c%d+f/g=h^j`k@contoso.com'.replace('`', '_') /* no * or ?: wildcards are refused in addresses */,
    '‘x’@contoso.com'.replace(/[‘’]/g, "'"),
  ];
  const groupAddress = "grp'$x{y}@contoso.com";
  const yaml = [
    'version: 1',
    'tenant: { id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b }',
    'bizagi: { company: contoso, project: hostile }',
    'environments:',
    '  test:',
    '    app:',
    `      displayName: ${JSON.stringify(displayName)}`,
    '      clientId: 0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
    '      enterpriseAppObjectId: 5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
    `    smtp: { access: rbac, group: ${JSON.stringify(groupAddress)} }`,
    '    mailboxes:',
    `      - address: ${JSON.stringify(addresses[0])}`,
    '        protocols: [imap, smtp]',
    `        sendAs: [${JSON.stringify(addresses[1])}]`,
    `      - address: ${JSON.stringify(addresses[2])}`,
    '        protocols: [pop]',
  ].join('\n');
  mkdirSync(join(hostileDir, 'hostile'), { recursive: true });
  writeFileSync(join(hostileDir, 'hostile', 'hostile.yaml'), `${yaml}\n`);
  const gen = await runInProcess([
    'generate',
    join(hostileDir, 'hostile', 'hostile.yaml'),
    '--out',
    join(hostileDir, 'hostile', 'out'),
  ]);
  if (gen.code !== 0) throw new Error(`generate failed: ${gen.stderr}`);
  const script = join(hostileDir, 'hostile', 'out', 'test', 'exchange-setup.ps1');
  const bomless = join(hostileDir, 'hostile', 'bomless.ps1');
  writeFileSync(bomless, readFileSync(script).subarray(3));
  const loaded = await loadManifest(join(hostileDir, 'hostile', 'hostile.yaml'), { today });
  const env = buildPlan(loaded.manifest!, 'hostile.yaml').environments[0]!;
  const seed = seedFor(env);
  const asWindows = sim.run(sim.tenant(seed), script, {}, { readAs: 'windows-powershell-5.1' });
  const asWindowsBomless = sim.run(sim.tenant(seed), bomless, {}, { readAs: 'windows-powershell-5.1' });
  scenario(
    'hostile and non-ASCII values reach the cmdlets byte for byte, the script read as Windows PowerShell 5.1 reads it',
    () => {
      assert.equal([...readFileSync(script).subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte-order mark');
      const r = result(asWindows);
      assert.is(r.exitCode, 0, explain(r));
      const nsp = r.changes.find((c) => c.cmdlet === 'New-ServicePrincipal')!;
      assert.is(nsp.parameters.DisplayName, displayName);
      assert.equal(
        r.changes.filter((c) => c.cmdlet === 'Add-MailboxPermission').map((c) => c.parameters.Identity),
        [addresses[0], addresses[2]],
      );
      assert.equal(
        r.changes.filter((c) => c.cmdlet === 'Add-RecipientPermission').map((c) => c.parameters.Identity),
        [addresses[1]],
      );
      assert.equal(
        r.changes
          .filter((c) => c.cmdlet === 'Add-DistributionGroupMember')
          .map((c) => [c.parameters.Identity, c.parameters.Member]),
        [[groupAddress, addresses[0]]],
      );
      assert.equal(canonical(r.state), canonical(expectedEnd(env, seed)));
    },
  );
  scenario(
    'the same script without its byte-order mark, read as 5.1 reads it, does not carry the values intact (why the BOM)',
    () => {
      const r = result(asWindowsBomless);
      const nsp = r.changes.find((c) => c.cmdlet === 'New-ServicePrincipal');
      assert.ok(r.exitCode !== 0 || nsp?.parameters.DisplayName !== displayName, explain(r));
    },
  );
});

// ------------------------------------------------------------------ the longest names a valid manifest allows
await step(async () => {
  const dir = join(sim.dir, 'long');
  mkdirSync(dir, { recursive: true });
  const manifest = join(dir, 'long.yaml');
  const project = `p${'r'.repeat(61)}j`; // 63: the longest project name the schema accepts
  const envName = `e${'n'.repeat(30)}v`; // 32: the longest environment name
  writeFileSync(
    manifest,
    [
      'version: 1',
      'tenant: { id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b }',
      `bizagi: { company: contoso, project: ${project} }`,
      'environments:',
      `  ${envName}:`,
      '    app: { clientId: 0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d, enterpriseAppObjectId: 5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d }',
      '    smtp: { access: rbac, group: senders@contoso.com }',
      '    mailboxes: [{ address: a@contoso.com, protocols: [smtp] }]',
      '',
    ].join('\n'),
  );
  const gen = await runInProcess(['generate', manifest, '--out', join(dir, 'out')]);
  if (gen.code !== 0) throw new Error(`generate failed: ${gen.stderr}`);
  const env = buildPlan((await loadManifest(manifest, { today })).manifest!, 'long.yaml').environments[0]!;
  const t = sim.tenant(seedFor(env));
  const first = sim.run(t, join(dir, 'out', envName, 'exchange-setup.ps1'));
  const second = sim.run(t, join(dir, 'out', envName, 'exchange-setup.ps1'));
  scenario(
    'the longest project and environment names: Exchange accepts the (shortened) names, and a second run finds them',
    () => {
      const r = result(first);
      assert.is(r.exitCode, 0, explain(r));
      assert.ok(
        r.state.managementScopes[0]!.Name.length <= 64 && r.state.managementRoleAssignments[0]!.Name.length <= 64,
      );
      assert.equal(canonical(r.state), canonical(expectedEnd(env, seedFor(env))));
      assert.equal(result(second).changes, []);
    },
  );
});

// ------------------------------------------------------------------ what the User / Trustee / RoleAssignee columns show
// No cmdlet page says what they show for a service principal; the simulation shows either answer (principalColumn),
// and the script must be right under both: setup twice, and a second app owning RBAC objects of the same names.
for (const column of ['ObjectId', 'DisplayName'] as const) {
  await step(async () => {
    const hr = (await environments('runbooks/contoso-hr.yaml')).find((e) => e.name === 'production')!;
    const hrSeed = seedFor(hr, { principalColumn: column });
    const hrTenant = sim.tenant(hrSeed);
    const hrFirst = run(hrTenant, hrScript);
    const hrSecond = run(hrTenant, hrScript);
    scenario(
      `${column} in the User column: FullAccess is found by -User <ObjectId>, so a second run changes nothing`,
      () => {
        assert.is(result(hrFirst).exitCode, 0, explain(result(hrFirst)));
        assert.equal(canonical(result(hrFirst).state), canonical(expectedEnd(hr, hrSeed)));
        const r = result(hrSecond);
        assert.is(r.exitCode, 0, explain(r));
        assert.equal(r.changes, [], explain(r));
        assert.ok(r.calls.some((c) => c.cmdlet === 'Get-MailboxPermission' && c.parameters.User === hr.app.objectId));
      },
    );

    const env = (await environments('test/fixtures/generate/rbac-smtp/manifest.yaml'))[0]!;
    const seed = seedFor(env, { principalColumn: column });
    const t = sim.tenant(seed);
    const first = run(t, rbacScript);
    const second = run(t, rbacScript);
    scenario(`${column} in the Trustee and RoleAssignee columns: RBAC setup twice, the second changes nothing`, () => {
      assert.is(result(first).exitCode, 0, explain(result(first)));
      assert.equal(canonical(result(first).state), canonical(expectedEnd(env, seed)));
      const r = result(second);
      assert.is(r.exitCode, 0, explain(r));
      assert.equal(r.changes, [], explain(r));
      assert.ok(
        rows(r).every((x) => x[3] === 'already present'),
        explain(r),
      );
    });

    // A second app (same display name pattern, its own principal) owns a scope and an assignment of exactly this
    // app's names: this app's setup must not take them for its own, nor change them.
    const otherApp = {
      AppId: '12345678-9abc-4def-8123-456789abcdef',
      ObjectId: '87654321-9abc-4def-8123-456789abcdef',
      DisplayName: `${env.app.displayName} (another project)`,
    };
    const theirs = sim.tenant({
      ...seed,
      servicePrincipals: [otherApp],
      managementScopes: [
        {
          Name: env.smtp.scopeName,
          RecipientRestrictionFilter: `MemberOfGroup -eq '${group(env.smtp.group!).DistinguishedName}'`,
        },
      ],
      managementRoleAssignments: [
        {
          Name: env.smtp.assignmentName,
          Role: 'Application SMTP.SendAsApp',
          App: otherApp.ObjectId,
          CustomResourceScope: env.smtp.scopeName,
        },
      ],
    });
    const clash = run(theirs, rbacScript);
    scenario(`${column}: another app's same-named RBAC objects are never changed by this app's setup`, () => {
      const r = result(clash);
      assert.is(r.exitCode, 1, explain(r));
      assert.equal(
        r.changes.filter((c) => /Management/.test(c.cmdlet)),
        [],
      );
      assert.equal(r.state.managementRoleAssignments[0]!.App, otherApp.ObjectId);
      assert.match(lastLine(r), /is not this app's/);
    });
  });
}

// ------------------------------------------------------------------ the RBAC group, checked before anything is granted
await step(async () => {
  const env = (await environments('test/fixtures/generate/rbac-smtp/manifest.yaml'))[0]!;
  const noGroup = run(sim.tenant(seedFor(env, { groups: [] })), rbacScript);
  scenario('RBAC: a group that does not exist stops the script before anything is granted', () => {
    const r = result(noGroup);
    assert.is(r.exitCode, 1, explain(r));
    assert.equal(r.changes, []);
    assert.not.ok(
      r.calls.some((c) => c.cmdlet === 'Get-Group'),
      'Get-DistributionGroup, not Get-Group',
    );
    assert.match(lastLine(r), /^Stopped: /);
    assert.match(r.output, new RegExp(`${env.smtp.group!.replace(/\./g, '\\.')}`));
  });
  // The simulated admin owns no group, so every fresh RBAC run above proves the switch is passed; here the runbook.
  scenario(
    'RBAC: the runbook says the group must exist, which types, how to create it; members added with the bypass',
    () => {
      const golden = readFileSync(join(root, rbacScript), 'utf8');
      assert.match(
        golden,
        /Add-DistributionGroupMember -Identity \$SmtpGroup -Member \$mailbox -BypassSecurityGroupManagerCheck/,
      );
      const runbook = readFileSync(join(root, dirname(rbacScript), 'runbook.md'), 'utf8').replace(/\s+/g, ' ');
      assert.match(
        runbook,
        /The group must exist before the script runs, as a distribution group or a mail-enabled security group/,
      );
      assert.match(runbook, /New-DistributionGroup -Name <name> -Type Security/);
    },
  );
});

// ------------------------------------------------------------------ the tenant signed in to
await step(async () => {
  const env = (await environments('runbooks/contoso-hr.yaml')).find((e) => e.name === 'production')!;
  const id = tenantIdOf(env);
  const wrong = run(
    sim.tenant(seedFor(env, { organization: { TenantID: '0d0e0f10-1112-4314-9516-171819202122' } })),
    hrScript,
  );
  const braces = run(sim.tenant(seedFor(env, { organization: { TenantID: `{${id.toUpperCase()}}` } })), hrScript, {
    WhatIf: true,
  });
  const byDomain = run(
    sim.tenant(
      seedFor(env, { organization: { TenantID: null, AcceptedDomains: ['contoso.com', 'contoso.onmicrosoft.com'] } }),
    ),
    hrScript,
    { WhatIf: true },
  );
  const otherDomain = run(
    sim.tenant(seedFor(env, { organization: { TenantID: null, AcceptedDomains: ['fabrikam.onmicrosoft.com'] } })),
    hrScript,
  );
  const noDomain = run(sim.tenant(seedFor(env, { organization: { TenantID: null } })), hrScript, { TenantDomain: '' });
  scenario('signed in to another tenant: stops before reading or changing anything, naming both tenants', () => {
    const r = result(wrong);
    assert.is(r.exitCode, 1, explain(r));
    assert.equal(r.changes, []);
    assert.not.ok(
      r.calls.some((c) => c.cmdlet === 'Get-ServicePrincipal'),
      explain(r),
    );
    assert.match(
      lastLine(r),
      /^Stopped: signed in to the organization of tenant 0d0e0f10-.* but the manifest's tenant is 72f9a1b3-/,
    );
    assert.is(r.calls.at(-1)!.cmdlet, 'Disconnect-ExchangeOnline');
  });
  scenario('the TenantID compared as a GUID: capitals and braces are the same tenant', () => {
    assert.is(result(braces).exitCode, 0, explain(result(braces)));
  });
  scenario(
    "no TenantID shown (an older module): the manifest's domain must be an accepted domain, else it stops",
    () => {
      assert.is(result(byDomain).exitCode, 0, explain(result(byDomain)));
      const o = result(otherDomain);
      assert.is(o.exitCode, 1, explain(o));
      assert.equal(o.changes, []);
      assert.match(lastLine(o), /has no accepted domain contoso\.onmicrosoft\.com/);
      const n = result(noDomain);
      assert.is(n.exitCode, 1, explain(n));
      assert.equal(n.changes, []);
      assert.match(lastLine(n), /cannot tell which organization this is/);
    },
  );
});

// ------------------------------------------------------------------ what an admin expects of the summary
await step(async () => {
  const env = (await environments('runbooks/contoso-hr.yaml')).find((e) => e.name === 'production')!;
  const seed = seedFor(env, {
    mailboxes: [mailbox('hr@contoso.com', { ImapEnabled: false }), mailbox('hr-archive@contoso.com')],
  });
  const plan = run(sim.tenant(seed), hrScript, { WhatIf: true });
  const coloured = sim.run(sim.tenant(seed), join(root, hrScript), {}, { env: { NO_COLOR: '' } });
  const plain = run(sim.tenant(seed), hrScript);
  const whatIfBroken = run(sim.tenant(seedFor(env, { mailboxes: [mailbox('hr@contoso.com')] })), hrScript, {
    WhatIf: true,
  });
  const csv = join(sim.dir, 'summary.csv');
  const log = join(sim.dir, 'change-ticket.log');
  const wrapper = join(sim.dir, 'pipe-to-csv.ps1');
  writeFileSync(
    wrapper,
    `\ufeff& '${join(root, hrScript).replace(/'/g, "''")}' -PassThru -LogFile '${log.replace(/'/g, "''")}' | Export-Csv -NoTypeInformation -Path '${csv.replace(/'/g, "''")}'\n`,
  );
  const piped = sim.run(sim.tenant(seed), wrapper);
  scenario('-WhatIf: totals as terraform plan prints them, current -> new values, and a sentence at the end', () => {
    const r = result(plan);
    assert.is(r.exitCode, 0, explain(r));
    assert.ok(
      r.records.some((x) => x.text === 'Plan: 3 to add, 1 to change, 0 to remove.'),
      explain(r),
    );
    assert.ok(
      rows(r).some((x) => x[1] === 'hr@contoso.com' && x[4] === 'SmtpClientAuthenticationDisabled: null -> False'),
      explain(r),
    );
    assert.match(lastLine(r), /^Nothing was changed \(-WhatIf\)\. Run the script without -WhatIf/);
  });
  scenario('-WhatIf with a failing check: no "change(s) failed, the rest were done", no error record, exit 1', () => {
    const r = result(whatIfBroken);
    assert.is(r.exitCode, 1, explain(r));
    assert.equal(r.changes, []);
    assert.equal(r.errors, []);
    assert.not.match(r.output, /change\(s\) failed/);
    assert.match(lastLine(r), /^Nothing was changed \(-WhatIf\), and 1 check\(s\) failed: hr-archive@contoso\.com/);
  });
  scenario('colour on a console, none when NO_COLOR is set', () => {
    const c = result(coloured);
    assert.is(c.exitCode, 0, explain(c));
    assert.ok(
      c.records.some((x) => x.color === 'Green' && /hr@contoso\.com\s+FullAccess\s+created/.test(x.text)),
      explain(c),
    );
    assert.ok(result(plain).records.every((x) => x.color === undefined));
  });
  scenario('the IMAP warning names the mailbox in the command to run', () => {
    assert.ok(
      result(plain).warnings.some((w) => w.includes("Set-CASMailbox -Identity 'hr@contoso.com' -ImapEnabled $true")),
      explain(result(plain)),
    );
  });
  scenario('-PassThru returns the rows as objects (Export-Csv), and -LogFile keeps a transcript of the run', () => {
    const r = result(piped);
    assert.is(r.exitCode, 0, explain(r));
    const lines = readFileSync(csv, 'utf8').trim().split(/\r?\n/);
    assert.is(lines[0], '"Step","Target","Change","Action","Status","Current","New"');
    assert.ok(
      lines.includes('"grant-mailbox-access","hr@contoso.com","FullAccess","add","created","",""'),
      lines.join('\n'),
    );
    const transcript = readFileSync(log, 'utf8');
    assert.match(transcript, /Done: 3 added, 1 changed, 0 removed, 0 failed\./);
    assert.match(transcript, /grant-mailbox-access\s+hr@contoso\.com\s+FullAccess\s+created/);
  });
});

// ------------------------------------------------------------------ the runbook's own PowerShell, run by hand
const prelude = [
  '# Stands in for the PowerShell Gallery: the simulated module is already on PSModulePath.',
  'function Install-Module { param([string] $Name, [string] $Scope) if ($Name -ne \'ExchangeOnlineManagement\') { throw "unexpected module $Name" } }',
].join('\n');
for (const g of goldens.filter((x) => !x.out.includes('placeholders'))) {
  await step(async () => {
    for (const env of await environments(g.manifest)) {
      const runbook = readFileSync(join(root, g.out, env.name, 'runbook.md'), 'utf8');
      // The PowerShell blocks of the Exchange administrator's steps, in the runbook's order (other steps, such as
      // verify, have PowerShell of their own that is not about Exchange).
      const section = (anchor: string) => {
        const start = runbook.indexOf(`<a id="${anchor}"></a>`);
        const end = runbook.indexOf('<a id="', start + 1);
        return start < 0 ? '' : runbook.slice(start, end < 0 ? undefined : end);
      };
      const blocks = env.stepsFor.exchange.flatMap((st) =>
        [...section(st.anchor).matchAll(/```powershell\n([\s\S]*?)```/g)].map((m) => m[1]!),
      );
      const file = join(sim.dir, `${g.out.replace(/\W+/g, '-')}-${env.name}-runbook.ps1`);
      writeFileSync(file, `\ufeff$ErrorActionPreference = 'Stop'\n${blocks.join('\n')}`);
      const seed = seedFor(env);
      const byHand = sim.run(sim.tenant(seed), file, {}, { prelude });
      const byScript = run(sim.tenant(seed), `${g.out}/${env.name}/exchange-setup.ps1`);
      scenario(
        `${g.out}/${env.name}/runbook.md: its PowerShell blocks, run in order, reach the script's end state`,
        () => {
          const h = result(byHand);
          assert.is(h.exitCode, 0, explain(h));
          assert.equal(h.errors, []);
          assert.ok(blocks.length >= 2);
          assert.equal(canonical(h.state), canonical(result(byScript).state));
        },
      );
    }
  });
}

// ------------------------------------------------------------------ Get-Help, for every generated script
scenario('Get-Help -Detailed shows the synopsis and every parameter of every generated script', async () => {
  const scripts = ['runbooks', 'test/fixtures/generate', 'test/fixtures/generate-options'].flatMap((d) =>
    (readdirSync(join(root, d), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ps1'))
      .map((f) => join(root, d, f)),
  );
  assert.ok(scripts.some((f) => f.endsWith('exchange-teardown.ps1')));
  const list = join(sim.dir, 'help-scripts.txt');
  writeFileSync(list, scripts.join('\n'));
  const command = `foreach ($f in Get-Content -LiteralPath '${list.replace(/'/g, "''")}') { '=== ' + $f; Get-Help -Name $f -Detailed | Out-String -Width 200 }`;
  const r = await spawnPwsh(pwsh!, ['-NoProfile', '-NonInteractive', '-Command', command], 120_000);
  assert.is(r.code, 0, r.stderr);
  const helps = r.stdout.split(/^=== /m).slice(1);
  assert.is(helps.length, scripts.length);
  for (const h of helps) {
    const file = h.slice(0, h.indexOf('\n'));
    assert.match(h, /SYNOPSIS\s+Exchange Online (setup|teardown)/, file);
    assert.match(h, /-LogFile <String>\s+Record the whole run/, file);
    assert.match(h, /-PassThru \[<SwitchParameter>\]\s+Also return each row/, file);
    assert.match(h, /-TenantId <String>/, file);
  }
});

// ------------------------------------------------------------------ as a user runs it: pwsh -File, its own exit code
await step(async () => {
  const env = (await environments('runbooks/contoso-hr.yaml')).find((e) => e.name === 'production')!;
  const ok = sim.tenant(seedFor(env));
  const broken = sim.tenant(seedFor(env, { mailboxes: [mailbox('hr@contoso.com')] }));
  scenario(
    'pwsh -File: exit code 0 when everything is done, 1 when a mailbox failed, with the table and the error on the console',
    async () => {
      const good = await sim.runFile(ok, join(root, hrScript));
      assert.is(good.exitCode, 0, good.stdout + good.stderr);
      assert.match(good.stdout, /grant-mailbox-access\s+hr@contoso\.com\s+FullAccess\s+created/);
      const bad = await sim.runFile(broken, join(root, hrScript));
      assert.is(bad.exitCode, 1, bad.stdout + bad.stderr);
      assert.match(
        bad.stdout,
        /hr-archive@contoso\.com\s+FullAccess\s+FAILED: The operation couldn't be performed because object 'hr-archive@contoso\.com' couldn't be found/,
      );
      assert.match(bad.stdout, /2 change\(s\) failed, the others were done/);
      assert.not.match(
        bad.stderr,
        /change\(s\) failed|Line \||ScriptHalted/,
        'the last word is a sentence, not an error frame',
      );
      assert.is(bad.calls.at(-1)!.cmdlet, 'Disconnect-ExchangeOnline');
    },
  );
});

if (!pwsh) {
  reportSkipped(count, 'exchange-script.test.ts');
  sim.done();
} else {
  test.before(async () => {
    const started = Date.now();
    results = await sim.execute(600_000);
    console.log(`exchange-script: ${results.length} pwsh runs for ${count} scenarios in ${Date.now() - started} ms`);
  });
  test.after(() => sim.done());
  test.run();
}
