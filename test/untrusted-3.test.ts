import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli, tempDir } from './helpers/cli.ts';

// Issue 27, the third attack pass: files planted in the output folder, config files from outside the repository,
// and the newer outputs (the calendar, the template copies). Each case is run through the built CLI as a user runs it.

const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8');

function workspace() {
  const t = tempDir();
  writeFileSync(join(t.path, 'hr.yaml'), example);
  return t;
}

test("a symlink planted at the lock's temporary name (the pid is predictable) is not written through", async () => {
  const t = workspace();
  try {
    const out = join(t.path, 'hr');
    mkdirSync(out);
    writeFileSync(join(t.path, 'precious.txt'), 'precious');
    // What an attacker who guesses the pid commits: the planting runs in the CLI's own process, so the pid is right.
    const plant = join(t.path, 'plant.mjs');
    writeFileSync(
      plant,
      `import { symlinkSync } from 'node:fs';\nsymlinkSync(${JSON.stringify(join(t.path, 'precious.txt'))}, ${JSON.stringify(join(out, '.mail-oauth-runbook.lock.'))} + process.pid + '.tmp');\n`,
    );
    const r = await runCli(['generate', 'hr.yaml'], { cwd: t.path, nodeArgs: ['--import', plant] });
    assert.is(r.code, 0, r.stderr);
    assert.is(readFileSync(join(t.path, 'precious.txt'), 'utf8'), 'precious', 'the file outside --out was overwritten');
    assert.ok(existsSync(join(out, 'test/runbook.md')));
  } finally {
    t.done();
  }
});

test('templates --out: a dangling link or a linked sub-folder in the way means nothing is copied, and it is named', async () => {
  const t = tempDir();
  try {
    mkdirSync(join(t.path, 'outside'));
    for (const [name, plant] of [
      ['runbook.md.hbs', (dir: string) => symlinkSync(join(t.path, 'nowhere'), join(dir, 'runbook.md.hbs'))],
      ['partials', (dir: string) => symlinkSync(join(t.path, 'outside'), join(dir, 'partials'))],
    ] as const) {
      const dir = join(t.path, `o-${name}`);
      mkdirSync(dir);
      plant(dir);
      const r = await runCli(['templates', '--out', `o-${name}`], { cwd: t.path });
      assert.is(r.code, 2, r.stdout);
      assert.match(r.stderr, new RegExp(`error \\[file-exists\\]: o-${name} already holds ${name} \\(a symbolic link`));
      assert.match(r.stderr, /copied nothing/);
      assert.equal(readdirSync(dir), [name], `${name}: nothing copied beside it`);
      assert.equal(readdirSync(join(t.path, 'outside')), [], `${name}: nothing written through the link`);
    }
  } finally {
    t.done();
  }
});

/** The calendar's content lines, unfolded (RFC 5545 3.1). */
const icsLines = (path: string) =>
  readFileSync(path, 'utf8')
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n');

test('status --ics --docs-url: a manifest named like a URL never becomes the scheme or host of a link', async () => {
  const t = tempDir();
  try {
    const names = ['http:evil.example.yaml', 'javascript:alert(document.domain)//.yaml', 'with space#and?query.yaml'];
    mkdirSync(join(t.path, 'javascript:alert(document.domain)'));
    for (const n of names) writeFileSync(join(t.path, n), example);
    const base = 'https://git.example.com/it/mail-docs/blob/main/';
    const r = await runCli(['status', ...names, '--ics', 'x.ics', '--docs-url', base], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    const lines = icsLines(join(t.path, 'x.ics'));
    const urls = lines.filter((l) => l.startsWith('URL:')).map((l) => l.slice(4));
    assert.is(urls.length, 2 * names.length, 'one link per expiry');
    for (const u of urls) assert.ok(u.startsWith(base), `${u} starts with --docs-url`);
    const links = lines.flatMap((l) => [...l.matchAll(/(?:Rotation steps: |rotate it\\. )(\S+)/g)].map((m) => m[1]!));
    assert.ok(links.length >= 2 * names.length);
    for (const l of links) assert.ok(l.startsWith(base), `${l} in a description starts with --docs-url`);
    assert.ok(urls.includes(`${base}http%3Aevil.example/test/runbook.md#secret-expiry-and-rotation`), urls.join('\n'));
    assert.ok(
      urls.some((u) => u.startsWith(`${base}with%20space%23and%3Fquery/test/runbook.md#`)),
      urls.join('\n'),
    );
    assert.not.ok(
      lines.some((l) => /https?:\/\/evil\.example/.test(l)),
      'no link to the host in the name',
    );
  } finally {
    t.done();
  }
});

test('status --ics: never through a link, never over a file it did not write (unless --force), staged and 0644', async () => {
  const t = workspace();
  try {
    writeFileSync(join(t.path, 'precious.txt'), 'precious');
    symlinkSync(join(t.path, 'precious.txt'), join(t.path, 'linked.ics'));
    let r = await runCli(['status', 'hr.yaml', '--ics', 'linked.ics'], { cwd: t.path });
    assert.is(r.code, 2, r.stdout);
    assert.match(r.stderr, /error \[file-refused\]: will not write linked\.ics: it is a symbolic link/);
    assert.is(readFileSync(join(t.path, 'precious.txt'), 'utf8'), 'precious');

    writeFileSync(join(t.path, 'mine.ics'), 'BEGIN:VCALENDAR\r\nPRODID:-//someone else//EN\r\nEND:VCALENDAR\r\n');
    r = await runCli(['status', 'hr.yaml', '--ics', 'mine.ics'], { cwd: t.path });
    assert.is(r.code, 2, r.stdout);
    assert.match(r.stderr, /will not write mine\.ics: a file mail-oauth-runbook did not write is there/);
    assert.match(r.stderr, /add --force to replace it/);
    assert.match(readFileSync(join(t.path, 'mine.ics'), 'utf8'), /someone else/);
    r = await runCli(['status', 'hr.yaml', '--ics', 'mine.ics', '--force'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(readFileSync(join(t.path, 'mine.ics'), 'utf8'), /PRODID:-\/\/mail-oauth-runbook/);

    // Its own calendar it replaces without --force; the file is readable by all (a calendar to publish), 0644.
    r = await runCli(['status', 'hr.yaml', '--ics', 'mine.ics'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.is(lstatSync(join(t.path, 'mine.ics')).mode & 0o777, 0o644);
    assert.equal(
      readdirSync(t.path).filter((f) => f.endsWith('.tmp')),
      [],
      'no staged file left',
    );
  } finally {
    t.done();
  }
});

test.run();
