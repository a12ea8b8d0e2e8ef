import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runInProcess, tempDir } from './helpers/cli.ts';

// Bizagi: "One mailbox must be configured per project" (docs/sources.md). Readers of one mailbox take each other's
// messages: an error; a mailbox shared where at most one environment reads it: a warning.

const manifest = (project: string, envs: Record<string, string>) => `version: 1
tenant: { id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b }
bizagi: { company: contoso, project: ${project} }
environments:
${Object.entries(envs)
  .map(([name, mailboxes]) => `  ${name}:\n    mailboxes:\n${mailboxes}`)
  .join('')}`;

const box = (address: string, protocols: string) => `      - { address: ${address}, protocols: [${protocols}] }\n`;

async function validate(files: Record<string, string>, args: string[] = Object.keys(files)) {
  const t = tempDir();
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(t.path, name), text);
    return await runInProcess(['validate', ...args], { cwd: t.path });
  } finally {
    t.done();
  }
}

test('test and production reading one mailbox: an error at the second, naming the first', async () => {
  const r = await validate({
    'hr.yaml': manifest('hr', { test: box('hr@contoso.com', 'imap, smtp'), production: box('HR@contoso.com', 'pop') }),
  });
  assert.is(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /hr\.yaml:10:20: error \[mailbox-read-twice\] mailbox HR@contoso\.com is read over IMAP or POP by "production" and by "test": each would take messages the other is waiting for/,
  );
  assert.match(r.stderr, /One mailbox must be configured per project/);
  assert.is(r.stderr.match(/mailbox-read-twice/g)!.length, 1, 'reported once');
});

test('a mailbox shared only for SMTP, or read by one environment only: a warning, still valid', async () => {
  for (const [a, b] of [
    ['smtp', 'smtp'],
    ['imap, smtp', 'smtp'],
  ] as const) {
    const r = await validate({
      'hr.yaml': manifest('hr', { test: box('noreply@contoso.com', a), production: box('noreply@contoso.com', b) }),
    });
    assert.is(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /warning \[mailbox-shared\] mailbox noreply@contoso\.com is also used by "test"; at most one of them reads it/,
    );
    assert.match(r.stdout, /hr\.yaml: valid/);
  }
});

test('between manifests given together: `validate a.yaml b.yaml` reports a mailbox both projects read', async () => {
  const files = {
    'a.yaml': manifest('hr', { production: box('shared@contoso.com', 'imap') }),
    'b.yaml': manifest('sales', { production: box('shared@contoso.com', 'pop') }),
  };
  for (const f of Object.keys(files)) {
    const alone = await validate(files, [f]);
    assert.is(alone.code, 0, `${f} alone is valid: ${alone.stderr}`);
  }
  const r = await validate(files);
  assert.is(r.code, 2);
  assert.match(
    r.stderr,
    /b\.yaml:\d+:\d+: error \[mailbox-read-twice\] mailbox shared@contoso\.com is read over IMAP or POP by "production" and by "production" of a\.yaml/,
  );
  assert.match(r.stdout, /a\.yaml: valid/);
  assert.match(r.stderr, /b\.yaml: invalid \(1 error/);
  const json = await validate(files, ['--json', 'a.yaml', 'b.yaml']);
  const results = JSON.parse(json.stdout) as { file: string; valid: boolean; diagnostics: { code: string }[] }[];
  assert.equal(
    results.map((x) => [x.file, x.valid, x.diagnostics.map((d) => d.code)]),
    [
      ['a.yaml', true, []],
      ['b.yaml', false, ['mailbox-read-twice']],
    ],
  );
});

test('between manifests, a mailbox one project sends from and the other reads: a warning', async () => {
  const r = await validate({
    'a.yaml': manifest('hr', { production: box('shared@contoso.com', 'imap') }),
    'b.yaml': manifest('sales', { production: box('shared@contoso.com', 'smtp') }),
  });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /b\.yaml:\d+:\d+: warning \[mailbox-shared\]/);
});

test('generate refuses a manifest whose environments read one mailbox, and writes nothing', async () => {
  const t = tempDir();
  try {
    writeFileSync(
      join(t.path, 'hr.yaml'),
      manifest('hr', { test: box('hr@contoso.com', 'imap'), production: box('hr@contoso.com', 'imap') }),
    );
    const r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /\[mailbox-read-twice\]/);
    assert.equal(readdirSync(t.path), ['hr.yaml']);
  } finally {
    t.done();
  }
});

test('generate a.yaml b.yaml checks between the manifests as validate does, and writes nothing', async () => {
  const t = tempDir();
  try {
    writeFileSync(join(t.path, 'a.yaml'), manifest('hr', { production: box('shared@contoso.com', 'imap') }));
    writeFileSync(join(t.path, 'b.yaml'), manifest('sales', { production: box('shared@contoso.com', 'pop') }));
    const r = await runInProcess(['generate', 'a.yaml', 'b.yaml'], { cwd: t.path });
    assert.is(r.code, 2);
    assert.match(r.stderr, /b\.yaml:\d+:\d+: error \[mailbox-read-twice\].*by "production" of a\.yaml/);
    assert.equal(readdirSync(t.path).sort(), ['a.yaml', 'b.yaml'], 'nothing written, not even for a.yaml');
    const alone = await runInProcess(['generate', 'a.yaml'], { cwd: t.path });
    assert.is(alone.code, 0, alone.stderr);
  } finally {
    t.done();
  }
});

test.run();
