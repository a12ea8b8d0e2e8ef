// Every name the Exchange script creates fits Exchange's limits for any manifest that validates: New-ManagementScope
// -Name "can be up to 64 characters", New-ManagementRoleAssignment -Name "The maximum length of the name is 64
// characters" (cmdlet reference). The names come from the project and the environment's name; both are drawn here
// from the schema's own patterns, so the property follows the schema when it changes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { checkManifestText } from '../src/manifest/load.ts';
import { loadValidator } from '../src/manifest/load-validator.ts';
import { buildPlan } from '../src/plan/plan.ts';
import { exchangeName, exchangeNameMax, rbacNames } from '../src/plan/exchange-names.ts';
import { root } from './helpers/cli.ts';

const runs = Number(process.env.FUZZ_RUNS ?? 200);
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS ? undefined : 20261129;
const options = { numRuns: runs, ...(seed === undefined ? {} : { seed }) };

const schema = JSON.parse(readFileSync(join(root, 'schemas/manifest.schema.json'), 'utf8')) as {
  properties: { environments: { propertyNames: { pattern: string } } };
  $defs: { urlLabel: { pattern: string } };
};
// fast-check cannot draw from a lookahead; the reserved device names it excludes are left out by a filter instead.
const envPattern = new RegExp(schema.properties.environments.propertyNames.pattern.replace(/^\^\(\?!.*?\)\$\)/, '^'));
const envName = fc
  .stringMatching(envPattern)
  .filter((n) => new RegExp(schema.properties.environments.propertyNames.pattern).test(n));
const project = fc.stringMatching(new RegExp(schema.$defs.urlLabel.pattern));
// Long values are what matter; the pattern's generator rarely reaches them on its own.
const long = <T extends string>(a: fc.Arbitrary<T>, max: number, letters: string) =>
  fc.oneof(
    a,
    fc.integer({ min: 1, max }).map((n) => letters.repeat(max).slice(0, n)),
  );

const validate = await loadValidator();

test('scope and role assignment names fit 64 characters, are distinct and stable, for every manifest that validates', () => {
  let checked = 0;
  fc.assert(
    fc.property(long(project, 63, 'project-'), long(envName, 32, 'env'), (p, e) => {
      const manifest = {
        version: 1,
        tenant: { id: '72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b' },
        bizagi: { company: 'contoso', project: p },
        environments: {
          [e]: {
            smtp: { access: 'rbac', group: 'senders@contoso.com' },
            mailboxes: [{ address: 'a@contoso.com', protocols: ['smtp'] }],
          },
        },
      };
      const loaded = checkManifestText('m.yaml', stringify(manifest), '2026-11-29', validate);
      fc.pre(loaded.manifest !== undefined); // only manifests that validate make a promise
      const env = buildPlan(loaded.manifest!, 'm.yaml').environments[0]!;
      const { scopeName, assignmentName } = env.smtp;
      assert.ok(scopeName.length <= exchangeNameMax, scopeName);
      assert.ok(assignmentName.length <= exchangeNameMax, assignmentName);
      assert.is.not(scopeName, assignmentName);
      assert.ok(scopeName.endsWith(' SMTP senders') && assignmentName.endsWith(' SMTP.SendAsApp'));
      assert.is(buildPlan(loaded.manifest!, 'm.yaml').environments[0]!.smtp.scopeName, scopeName, 'deterministic');
      checked++;
    }),
    options,
  );
  assert.ok(checked > runs / 2, `only ${checked} of ${runs} drawn manifests validated`);
});

test('a name that fits is kept as it is; a longer one keeps its head and tail around a hash of the whole', () => {
  assert.is(exchangeName('Bizagi hr test', ' SMTP senders'), 'Bizagi hr test SMTP senders');
  const a = exchangeName(`Bizagi ${'p'.repeat(63)} ${'e'.repeat(32)}`, ' SMTP.SendAsApp');
  const b = exchangeName(`Bizagi ${'p'.repeat(63)} ${'e'.repeat(31)}f`, ' SMTP.SendAsApp');
  assert.is(a.length, 64);
  assert.match(a, /^Bizagi p+~[0-9a-f]{8} SMTP\.SendAsApp$/);
  assert.is.not(a, b, 'names that differ only past the cut still differ');
  assert.is(exchangeName('x'.repeat(64), ''), 'x'.repeat(64));
  const emoji = exchangeName('😀'.repeat(70), ' t');
  assert.ok(
    emoji.length <= 64 && !/[\ud800-\udbff](?![\udc00-\udfff])/.test(emoji),
    'counted in UTF-16 units, never splitting a character',
  );
});

// Exchange names are tenant-wide: two apps (another company's project of the same name, another registration) must
// not share the names a teardown looks for (issue 26).
test('the RBAC names differ between companies and between apps, at every length, and stay within 64', () => {
  fc.assert(
    fc.property(long(project, 63, 'project-'), long(envName, 32, 'env'), fc.uuid(), fc.uuid(), (p, e, a, b) => {
      fc.pre(a.slice(0, 8) !== b.slice(0, 8));
      const names = [
        rbacNames('contoso', p, e, a),
        rbacNames('fabrikam', p, e, a),
        rbacNames('contoso', p, e, b),
        rbacNames('contoso', p, e, null),
      ];
      for (const n of names)
        assert.ok(n.scopeName.length <= exchangeNameMax && n.assignmentName.length <= exchangeNameMax);
      assert.is(new Set(names.map((n) => n.scopeName)).size, names.length);
      assert.is(new Set(names.map((n) => n.assignmentName)).size, names.length);
      assert.ok(names[0]!.assignmentName.endsWith(` ${a.slice(0, 8)} SMTP.SendAsApp`));
    }),
    options,
  );
});

test.run();
