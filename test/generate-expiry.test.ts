import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runInProcess, tempDir } from './helpers/cli.ts';
import { environmentFiles, filesWritten } from './helpers/documents.ts';

// Expiry is an operational state: generating documents never fails on a date (fixed clock: runInProcess's now).
const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8').replace(
  'expires: 2027-05-31',
  'expires: 2026-11-01',
);

test("generate --env production is not blocked by test's expired secret; generate and --check warn and exit 0", async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.path, 'hr.yaml'), example);
    let r = await runInProcess(['generate', 'hr.yaml', '--env', 'production'], {
      cwd: t.path,
      now: '2026-11-28T12:00:00Z',
    });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning \[secret-expired\] the client secret of "test" expired on 2026-11-01/);
    assert.ok(existsSync(join(t.path, 'hr/production/runbook.md')));
    r = await runInProcess(['generate', 'hr.yaml'], { cwd: t.path, now: '2026-11-28T12:00:00Z' });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`hr: ${environmentFiles().length} written, ${filesWritten(1)} unchanged`));
    r = await runInProcess(['generate', 'hr.yaml', '--check'], { cwd: t.path, now: '2027-12-01T12:00:00Z' });
    assert.is(r.code, 0, 'both secrets expired, documents still up to date');
    assert.match(r.stderr, /"production" expired on 2027-11-30/);
  } finally {
    t.done();
  }
});

test.run();
