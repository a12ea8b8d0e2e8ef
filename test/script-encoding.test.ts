// exchange-setup.ps1 is UTF-8 with a byte-order mark, because Windows PowerShell 5.1 reads a BOM-less script in the
// ANSI code page (a UTF-8 `Ñ` becomes `Ã‘`, and a misread quote-like character ends a literal early). The writer,
// `generate --check` and the committed goldens agree on those bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runInProcess, tempDir } from './helpers/cli.ts';
import { decodeAsWindowsPowerShell } from './helpers/exchange-sim.ts';

const bom = [0xef, 0xbb, 0xbf];
const startsWithBom = (b: Buffer) => b[0] === bom[0] && b[1] === bom[1] && b[2] === bom[2];

test('generate writes every .ps1 with a UTF-8 BOM and nothing else with one; --check agrees byte for byte', async () => {
  const t = tempDir();
  try {
    const manifest = join(t.path, 'm.yaml');
    writeFileSync(manifest, readFileSync(join(root, 'test/fixtures/generate/china-send-as/manifest.yaml')));
    const r = await runInProcess(['generate', manifest, '--out', join(t.path, 'out')]);
    assert.is(r.code, 0, r.stderr);
    const script = join(t.path, 'out/test/exchange-setup.ps1');
    const bytes = readFileSync(script);
    assert.ok(startsWithBom(bytes), 'the script starts with EF BB BF');
    assert.not.ok(startsWithBom(readFileSync(join(t.path, 'out/test/runbook.md'))), 'Markdown has no BOM');
    assert.is((await runInProcess(['generate', manifest, '--out', join(t.path, 'out'), '--check'])).code, 0);
    // What 5.1 reads is exactly the text: the non-ASCII display name survives.
    assert.ok(decodeAsWindowsPowerShell(bytes).includes("'O''Brien''s HR mail — test'"));
    // The same file without its BOM is out of date, and generate puts the BOM back.
    writeFileSync(script, bytes.subarray(3));
    const check = await runInProcess(['generate', manifest, '--out', join(t.path, 'out'), '--check']);
    assert.is(check.code, 1);
    assert.match(check.stdout, /stale: +.*exchange-setup\.ps1/);
    assert.is((await runInProcess(['generate', manifest, '--out', join(t.path, 'out')])).code, 0);
    assert.equal(readFileSync(script), bytes);
  } finally {
    t.done();
  }
});

test('the committed golden scripts carry the BOM; read without it as 5.1 does, a non-ASCII name would be mangled', () => {
  const golden = readFileSync(join(root, 'test/fixtures/generate/china-send-as/expected/test/exchange-setup.ps1'));
  assert.ok(startsWithBom(golden));
  assert.ok(startsWithBom(readFileSync(join(root, 'runbooks/contoso-hr/test/exchange-setup.ps1'))));
  assert.ok(
    decodeAsWindowsPowerShell(golden.subarray(3)).includes('\u00e2\u20ac\u201d'),
    'the em dash, read as Windows-1252 without the BOM',
  );
});

test.run();
