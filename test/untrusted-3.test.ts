import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
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

test('a planted journal deletes and overwrites nothing the record does not list (nor swaps in a record of its own)', async () => {
  const t = workspace();
  try {
    assert.is((await runCli(['generate', 'hr.yaml'], { cwd: t.path })).code, 0);
    const out = join(t.path, 'hr');
    // Hand-written documents of an environment generate never had (so its record does not list them).
    mkdirSync(join(out, 'legacy'));
    writeFileSync(join(out, 'legacy/runbook.md'), 'hand-written runbook');
    writeFileSync(join(out, 'legacy/field-sheet.md'), 'hand-written field sheet');
    writeFileSync(join(out, 'test/handout.html'), 'hand-written handout');
    writeFileSync(join(out, 'legacy/.0123456789ab.tmp'), 'planted');
    writeFileSync(join(out, 'test/.0123456789ab.tmp'), 'planted');
    const planted = { generatedBy: 'mail-oauth-runbook', files: ['legacy/runbook.md', 'legacy/field-sheet.md'] };
    writeFileSync(join(out, '.abcdef012345.tmp'), JSON.stringify(planted));
    const journal = {
      generatedBy: 'mail-oauth-runbook',
      renames: [
        ['legacy/.0123456789ab.tmp', 'legacy/field-sheet.md'],
        ['test/.0123456789ab.tmp', 'test/handout.html'],
        ['.abcdef012345.tmp', '.mail-oauth-runbook.json'],
      ],
      removes: ['legacy/runbook.md'],
    };
    writeFileSync(join(out, '.mail-oauth-runbook.journal'), JSON.stringify(journal));
    const r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.is(readFileSync(join(out, 'legacy/runbook.md'), 'utf8'), 'hand-written runbook', r.stdout);
    assert.is(readFileSync(join(out, 'legacy/field-sheet.md'), 'utf8'), 'hand-written field sheet');
    assert.is(readFileSync(join(out, 'test/handout.html'), 'utf8'), 'hand-written handout');
    assert.not.match(r.stdout, /^removed /m);
    assert.match(
      r.stderr,
      /skipped renaming "legacy\/.0123456789ab.tmp" to "legacy\/field-sheet.md" \(not in \.mail-oauth-runbook\.json/,
    );
    assert.match(r.stderr, /left legacy\/runbook.md alone: not in \.mail-oauth-runbook\.json/);
    assert.not.match(readFileSync(join(out, '.mail-oauth-runbook.json'), 'utf8'), /legacy/);
    assert.not.ok(existsSync(join(out, 'legacy/.0123456789ab.tmp')), 'the planted staged file is cleared');
    assert.match(r.stdout, /hr: 0 written, 9 unchanged, 0 removed/);
  } finally {
    t.done();
  }
});

test("a run killed while writing a new environment: the next run takes the environment's files it had put in place", async () => {
  const t = workspace();
  try {
    writeFileSync(join(t.path, 'one.yaml'), example.replace(/\n {2}production:[\s\S]*$/, '\n'));
    assert.is((await runCli(['generate', 'one.yaml', '--out', 'hr'], { cwd: t.path })).code, 0);
    assert.is((await runCli(['generate', 'hr.yaml', '--out', 'staged'], { cwd: t.path })).code, 0);
    // Killed after renaming production/runbook.md, a name the record (of one.yaml's run) does not list yet.
    const out = join(t.path, 'hr');
    mkdirSync(join(out, 'production'));
    writeFileSync(join(out, 'production/runbook.md'), readFileSync(join(t.path, 'staged/production/runbook.md')));
    writeFileSync(
      join(out, 'production/.0123456789ab.tmp'),
      readFileSync(join(t.path, 'staged/production/field-sheet.md')),
    );
    const journal = {
      generatedBy: 'mail-oauth-runbook',
      renames: [
        ['production/.fedcba987654.tmp', 'production/runbook.md'],
        ['production/.0123456789ab.tmp', 'production/field-sheet.md'],
      ],
      removes: [],
    };
    writeFileSync(join(out, '.mail-oauth-runbook.journal'), JSON.stringify(journal));
    const r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    for (const f of ['production/runbook.md', 'production/field-sheet.md', 'production/exchange-setup.ps1'])
      assert.is(readFileSync(join(out, f), 'utf8'), readFileSync(join(t.path, 'staged', f), 'utf8'), f);
    assert.match(readFileSync(join(out, '.mail-oauth-runbook.json'), 'utf8'), /production\/runbook\.md/);
  } finally {
    t.done();
  }
});

/** A template folder whose Exchange script carries a command of the attacker's. */
function plantTemplates(dir: string) {
  mkdirSync(dir, { recursive: true });
  const script = readFileSync(join(root, 'templates/exchange-setup.ps1.hbs'), 'utf8');
  writeFileSync(join(dir, 'exchange-setup.ps1.hbs'), `Invoke-Planted\n${script}`);
}

test('the config search stops before a folder others may write to (a shared or temporary folder)', async () => {
  const t = tempDir();
  try {
    const shared = join(t.path, 'shared');
    mkdirSync(join(shared, 'work'), { recursive: true });
    chmodSync(shared, 0o777);
    plantTemplates(join(shared, 'planted'));
    writeFileSync(join(shared, 'mail-oauth-runbook.config.yaml'), 'templates: planted\nout: moved/{manifest}\n');
    writeFileSync(join(shared, 'work/hr.yaml'), example);
    const r = await runCli(['generate', 'hr.yaml'], { cwd: join(shared, 'work') });
    assert.is(r.code, 0, r.stderr);
    assert.not.match(r.stderr, /using settings/);
    assert.match(
      r.stderr,
      /warning: not using \.\.\/mail-oauth-runbook\.config\.yaml: \S*shared others may write to; name it with --config if it is yours\n/,
    );
    assert.ok(existsSync(join(shared, 'work/hr/test/exchange-setup.ps1')), 'written beside the manifest');
    assert.not.ok(existsSync(join(shared, 'moved')), "not where the stranger's config said");
    assert.not.match(readFileSync(join(shared, 'work/hr/test/exchange-setup.ps1'), 'utf8'), /Invoke-Planted/);
  } finally {
    t.done();
  }
});

test('the config search stops at the home folder, and the file used is named on stderr', async () => {
  const t = tempDir();
  try {
    const home = join(t.path, 'home');
    mkdirSync(join(home, 'docs'), { recursive: true });
    writeFileSync(join(home, 'docs/hr.yaml'), example);
    writeFileSync(join(t.path, 'mail-oauth-runbook.config.yaml'), 'out: above-home/{manifest}\n');
    let r = await runCli(['status', 'hr.yaml', '--json'], { cwd: join(home, 'docs'), env: { HOME: home } });
    assert.is(r.code, 0, r.stderr);
    assert.not.match(r.stderr, /using settings/);
    assert.match(r.stdout, /"runbook": "hr\/test\/runbook\.md"|hr\/test\/runbook\.md/);
    assert.not.match(r.stdout, /above-home/);
    writeFileSync(join(home, 'mail-oauth-runbook.config.yaml'), 'out: in-home/{manifest}\n');
    r = await runCli(['status', 'hr.yaml', '--json'], { cwd: join(home, 'docs'), env: { HOME: home } });
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stderr, 'using settings from ../mail-oauth-runbook.config.yaml\n');
    assert.match(r.stdout, /in-home\/hr\/test\/runbook\.md/);
  } finally {
    t.done();
  }
});

test("a config file's templates outside its repository are refused, unless --templates names them", async () => {
  const t = tempDir();
  try {
    const repo = join(t.path, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    writeFileSync(join(repo, 'hr.yaml'), example);
    plantTemplates(join(t.path, 'outside'));
    symlinkSync(join(t.path, 'outside'), join(repo, 'linked'));
    for (const templates of ['../outside', 'linked', join(t.path, 'outside')]) {
      writeFileSync(join(repo, 'mail-oauth-runbook.config.yaml'), `flavor: github\ntemplates: ${templates}\n`);
      const r = await runCli(['generate', 'hr.yaml'], { cwd: repo });
      assert.is(r.code, 2, `${templates}: ${r.stdout}`);
      assert.match(
        r.stderr,
        /mail-oauth-runbook\.config\.yaml:2:12: templates: the folder is outside the repository this config file is in/,
      );
      assert.not.ok(existsSync(join(repo, 'hr')), 'nothing written');
    }
    const r = await runCli(['generate', 'hr.yaml', '--templates', '../outside'], { cwd: repo });
    assert.is(r.code, 0, r.stderr);
    assert.match(
      readFileSync(join(repo, 'hr/test/exchange-setup.ps1'), 'utf8'),
      /Invoke-Planted/,
      'the user named them',
    );
  } finally {
    t.done();
  }
});

test.run();
