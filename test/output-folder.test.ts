import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { cliPath, root, runCli, tempDir } from './helpers/cli.ts';
import { renderedIn } from '../src/plan/documents.ts';
import { filesWritten } from './helpers/documents.ts';

// The output folder is untrusted: a record, a journal, a lock, links and files in it arrive in pull requests.
// Every case here is a reproduction from issue 12, run through the built CLI.

const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8');
const withoutProduction = example.replace(/\n {2}production:[\s\S]*$/, '\n');
const renamed = example
  .replace('Bizagi HR mail (test)', 'Renamed HR mail (test)')
  .replace('Bizagi HR mail (production)', 'Renamed HR mail (production)');
/** What generate writes at the top and for the environment `test`, from the table of documents. */
const topFiles = renderedIn('top').map((d) => d.file);
const testFiles = renderedIn('environment').map((d) => `test/${d.file}`);
const record = (files: unknown[]) => `${JSON.stringify({ generatedBy: 'mail-oauth-runbook', files })}\n`;

function workspace() {
  const t = tempDir();
  writeFileSync(join(t.path, 'hr.yaml'), example);
  return t;
}

test('an edited record never makes generate delete what it did not write, inside or outside --out', async () => {
  const t = workspace();
  try {
    assert.is((await runCli(['generate', 'hr.yaml'], { cwd: t.path })).code, 0);
    const out = join(t.path, 'hr');
    // Files of the user's, a folder, and a file outside --out reached through a linked environment folder.
    writeFileSync(join(out, 'notes.md'), 'mine');
    mkdirSync(join(out, 'src'));
    writeFileSync(join(out, 'src/main.ts'), 'mine');
    mkdirSync(join(t.path, 'outside'));
    writeFileSync(join(t.path, 'outside/runbook.md'), 'outside');
    cpSync(join(out, 'production'), join(t.path, 'moved'), { recursive: true });
    renameSync(join(out, 'production'), join(t.path, 'production-old'));
    symlinkSync(join(t.path, 'outside'), join(out, 'production'));
    const listed = [
      'notes.md',
      'src/main.ts',
      'src',
      '../hr.yaml',
      '/etc/passwd',
      'test',
      'production/runbook.md',
      ...topFiles,
      ...testFiles,
      42,
      null,
      { a: 1 },
    ];
    writeFileSync(join(out, '.mail-oauth-runbook.json'), record(listed));
    writeFileSync(join(t.path, 'hr.yaml'), withoutProduction);
    const r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    for (const name of [
      'notes.md',
      'src/main.ts',
      '../hr.yaml',
      '/etc/passwd',
      'test"',
      'a number',
      'null',
      'a object',
    ]) {
      assert.ok(
        r.stderr.includes(`lists ${name.startsWith('a ') || name === 'null' ? name : `"${name.replace(/"$/, '')}"`}`),
        `${name} reported: ${r.stderr}`,
      );
    }
    assert.match(r.stderr, /warning: left production\/runbook\.md alone: its folder is a symbolic link/);
    assert.is(readFileSync(join(out, 'notes.md'), 'utf8'), 'mine');
    assert.is(readFileSync(join(out, 'src/main.ts'), 'utf8'), 'mine');
    assert.is(readFileSync(join(t.path, 'outside/runbook.md'), 'utf8'), 'outside');
    assert.ok(existsSync(join(t.path, 'hr.yaml')));
    const now = JSON.parse(readFileSync(join(out, '.mail-oauth-runbook.json'), 'utf8')) as { files: string[] };
    assert.equal(now.files, [...topFiles, ...testFiles].sort(), 'the rewritten record lists only what this run wrote');
  } finally {
    t.done();
  }
});

test("a document this run generates is trusted on the record's word even if its name is not yet in the list of names", async () => {
  // Another document added in code without its name in render.ts' files: the record's entry is not a reason to refuse.
  const { parseRecord, ignoredEntries } = await import('../src/write/record.ts');
  const r = parseRecord(record(['README.md', 'test/summary.html', 'notes.md', 7]));
  assert.equal(r.files, ['README.md']);
  assert.equal(r.others, ['test/summary.html', 'notes.md']);
  assert.equal(r.problems, ['.mail-oauth-runbook.json lists a number, not a file name; the entry is ignored']);
  assert.equal(ignoredEntries(['notes.md', 'a\u001b[2Jb']), [
    '.mail-oauth-runbook.json lists "notes.md", which generate never writes; the entry is ignored',
    '.mail-oauth-runbook.json lists "a?[2Jb", which generate never writes; the entry is ignored',
  ]);
});

test("a symlinked environment folder inside --out is refused; a symlinked --out itself is the user's choice", async () => {
  const t = workspace();
  try {
    mkdirSync(join(t.path, 'elsewhere'));
    mkdirSync(join(t.path, 'hr'));
    symlinkSync(join(t.path, 'elsewhere'), join(t.path, 'hr/test'));
    let r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /error \[symlinked-folder\]: hr\/test is a symbolic link/);
    assert.equal(readdirSync(join(t.path, 'elsewhere')), [], 'nothing written through the link');
    assert.equal(readdirSync(join(t.path, 'hr')), ['test'], 'nothing written at all');

    mkdirSync(join(t.path, 'real-docs'));
    symlinkSync(join(t.path, 'real-docs'), join(t.path, 'docs'));
    r = await runCli(['generate', 'hr.yaml', '--out', 'docs'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.ok(existsSync(join(t.path, 'real-docs/test/runbook.md')));
  } finally {
    t.done();
  }
});

test('files generate did not write are not replaced without --force; --out "" is an error', async () => {
  const t = workspace();
  try {
    mkdirSync(join(t.path, 'hr/test'), { recursive: true });
    writeFileSync(join(t.path, 'hr/README.md'), 'my own readme');
    writeFileSync(join(t.path, 'hr/test/runbook.md'), 'my own runbook');
    spawnSync('mkfifo', [join(t.path, 'hr/test/field-sheet.md')]);
    let r = await runCli(['generate', 'hr.yaml'], { cwd: t.path, timeoutMs: 10_000 });
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /error \[not-written-by-generate\]: generate did not write these 3 files/);
    assert.match(r.stderr, /hr\/README\.md\n/);
    assert.match(r.stderr, /hr\/test\/field-sheet\.md \(a special file\)/);
    assert.match(r.stderr, /fix: .*--force/);
    assert.is(readFileSync(join(t.path, 'hr/README.md'), 'utf8'), 'my own readme');
    assert.not.ok(existsSync(join(t.path, 'hr/test/portal-checklist.md')), 'nothing written when one file is refused');

    r = await runCli(['generate', 'hr.yaml', '--force'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(readFileSync(join(t.path, 'hr/README.md'), 'utf8'), /^# /);
    assert.ok(
      lstatSync(join(t.path, 'hr/test/field-sheet.md')).isFile(),
      'the special file is replaced, not written into',
    );
    r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, 'after --force the files are recorded as ours');

    for (const out of ['', ' ']) {
      r = await runCli(['generate', 'hr.yaml', '--out', out], { cwd: t.path });
      assert.is(r.code, 2);
      assert.match(r.stderr, /error \[empty-out\]: --out is empty/);
    }
  } finally {
    t.done();
  }
});

test('a damaged record never wedges generate: folders, wrong types, a huge or linked record are reported and ignored', async () => {
  const t = workspace();
  try {
    assert.is((await runCli(['generate', 'hr.yaml'], { cwd: t.path })).code, 0);
    const rec = join(t.path, 'hr/.mail-oauth-runbook.json');
    const damaged: [string, string | (() => void), RegExp][] = [
      [
        'folder entry',
        record(['README.md', 'production', 'test/runbook.md']),
        /lists "production", which generate never writes/,
      ],
      [
        'wrong types',
        '{"generatedBy":"mail-oauth-runbook","files":{"0":"README.md"}}',
        /is not a record written by mail-oauth-runbook/,
      ],
      ['not JSON', '{"generatedBy":', /is not valid JSON/],
      ['huge', `${' '.repeat(2 * 1024 * 1024)}{}`, /is a file of \d+ bytes; it is ignored/],
      ['a link', () => symlinkSync('/etc/passwd', rec), /is a symbolic link; it is ignored/],
      ['a folder', () => mkdirSync(rec), /is a folder; it is ignored/],
    ];
    for (const [name, content, warning] of damaged) {
      spawnSync('rm', ['-rf', rec]);
      if (typeof content === 'string') writeFileSync(rec, content);
      else content();
      const r = await runCli(['generate', 'hr.yaml'], { cwd: t.path, timeoutMs: 10_000 });
      if (name === 'a folder') {
        assert.is(r.code, 2, `${name}: ${r.stderr}`);
        assert.match(r.stderr, /cannot-write|folder/, name);
        continue;
      }
      assert.is(r.code, 0, `${name}: ${r.stderr}`);
      assert.match(r.stderr, warning, name);
      assert.match(
        r.stdout,
        new RegExp(`0 written, ${filesWritten(2)} unchanged`),
        `${name}: identical files are taken over, not refused`,
      );
      assert.ok(lstatSync(rec).isFile(), `${name}: the record is rewritten as a plain file`);
    }
    // A recorded document that has become a folder: a clear usage error, not an internal one, and nothing changes.
    spawnSync('rm', ['-rf', rec]);
    assert.is((await runCli(['generate', 'hr.yaml'], { cwd: t.path })).code, 0);
    spawnSync('rm', ['-f', join(t.path, 'hr/test/runbook.md')]);
    mkdirSync(join(t.path, 'hr/test/runbook.md'));
    const r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, /error \[folder-in-the-way\]: hr\/test\/runbook\.md is a folder/);
  } finally {
    t.done();
  }
});

test('a lock keeps two generate runs apart: a live holder means exit 2, a dead one is taken over', async () => {
  const t = workspace();
  try {
    assert.is((await runCli(['generate', 'hr.yaml'], { cwd: t.path })).code, 0);
    const lock = join(t.path, 'hr/.mail-oauth-runbook.lock');
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(lock, JSON.stringify({ pid: sleeper.pid }));
      writeFileSync(join(t.path, 'hr.yaml'), renamed);
      const started = Date.now();
      const r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
      assert.is(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(`error \\[output-locked\\]: another generate \\(process ${sleeper.pid}\\) is writing into hr`),
      );
      assert.match(r.stderr, /delete hr\/\.mail-oauth-runbook\.lock/);
      assert.ok(Date.now() - started < 10_000, 'it waits briefly, then gives up');
      assert.not.match(readFileSync(join(t.path, 'hr/test/runbook.md'), 'utf8'), /Renamed/);
    } finally {
      sleeper.kill();
    }
    await new Promise((r) => sleeper.once('close', r));
    writeFileSync(lock, JSON.stringify({ pid: sleeper.pid })); // its process has ended: stale
    const r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(readFileSync(join(t.path, 'hr/test/runbook.md'), 'utf8'), /Renamed/);
    assert.not.ok(existsSync(lock), 'the lock is released');
  } finally {
    t.done();
  }
});

/** Which of two manifest versions each environment's runbook and script come from; they must agree. */
function versionsOf(out: string, versions: string[]): string[] {
  return ['test', 'production'].map((env) => {
    const pick = (f: string) => versions.findIndex((v) => readFileSync(join(out, env, f), 'utf8').includes(v));
    const runbook = pick('runbook.md');
    const script = pick('exchange-setup.ps1');
    return runbook === script ? `${env}:${runbook}` : `${env}: runbook ${runbook}, script ${script}`;
  });
}

test("concurrent generate runs on one folder never interleave: each exits 0 or 2, the result is one run's", async () => {
  const t = workspace();
  try {
    const names = ['Bizagi HR mail (test)', 'Second name (test)', 'Third name (test)', 'Fourth name (test)'];
    const prodNames = [
      'Bizagi HR mail (production)',
      'Second name (production)',
      'Third name (production)',
      'Fourth name (production)',
    ];
    names.forEach((n, i) =>
      writeFileSync(
        join(t.path, `v${i}.yaml`),
        example.replace('Bizagi HR mail (test)', n).replace('Bizagi HR mail (production)', prodNames[i]!),
      ),
    );
    for (let round = 0; round < 3; round++) {
      const runs = await Promise.all(
        names.map((_, i) => runCli(['generate', `v${i}.yaml`, '--out', 'hr'], { cwd: t.path })),
      );
      for (const r of runs) assert.ok(r.code === 0 || r.code === 2, r.stderr);
      for (const r of runs.filter((x) => x.code === 2)) assert.match(r.stderr, /output-locked/);
      assert.ok(runs.some((r) => r.code === 0));
      const winner = names.findIndex((n) => readFileSync(join(t.path, 'hr/test/runbook.md'), 'utf8').includes(n));
      assert.ok(winner >= 0);
      for (const [dir, f] of [
        ['test', 'exchange-setup.ps1'],
        ['production', 'runbook.md'],
        ['production', 'exchange-setup.ps1'],
      ] as const) {
        const wanted = dir === 'test' ? names[winner]! : prodNames[winner]!;
        assert.ok(
          readFileSync(join(t.path, 'hr', dir, f), 'utf8').includes(wanted),
          `round ${round}: ${dir}/${f} comes from another run than test/runbook.md`,
        );
      }
      const hidden = readdirSync(join(t.path, 'hr'), { recursive: true })
        .map(String)
        .filter((f) => /\.tmp$|\.lock$|\.journal$/.test(f));
      assert.equal(hidden, [], 'no temporary file, lock or journal left');
    }
  } finally {
    t.done();
  }
});

test("a run killed while renaming leaves a journal; the next run finishes it first, so an environment's documents agree", async () => {
  const t = workspace();
  try {
    const versions = ['Bizagi HR mail (', 'Renamed HR mail ('];
    assert.is((await runCli(['generate', 'hr.yaml'], { cwd: t.path })).code, 0);
    writeFileSync(join(t.path, 'new.yaml'), renamed);
    assert.is((await runCli(['generate', 'new.yaml', '--out', 'staged'], { cwd: t.path })).code, 0);
    // The state a run killed in its rename phase leaves: the journal, the runbook renamed, the other files staged.
    const out = join(t.path, 'hr');
    const staged = testFiles.filter((f) => f !== 'test/runbook.md');
    const temps = staged.map((_, i) => `.${(i + 1).toString(16).padStart(12, '0')}.tmp`);
    cpSync(join(t.path, 'staged/test/runbook.md'), join(out, 'test/runbook.md'));
    staged.forEach((f, i) => cpSync(join(t.path, 'staged', f), join(out, 'test', temps[i]!)));
    const journal = {
      generatedBy: 'mail-oauth-runbook',
      renames: [['test/.fedcba987654.tmp', 'test/runbook.md'], ...staged.map((f, i) => [`test/${temps[i]}`, f])],
      removes: [],
    };
    writeFileSync(join(out, '.mail-oauth-runbook.journal'), JSON.stringify(journal));
    assert.equal(versionsOf(out, versions), ['test: runbook 1, script 0', 'production:0'], 'the crash left test mixed');

    let r = await runCli(['generate', 'new.yaml', '--out', 'hr', '--check'], { cwd: t.path });
    assert.is(r.code, 1);
    assert.match(r.stdout, /interrupted: hr holds the half-applied changes of a killed generate/);
    r = await runCli(['generate', 'new.yaml', '--out', 'hr'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`finished the ${testFiles.length} renames of an interrupted earlier run`));
    assert.not.match(r.stdout, /wrote {3}hr\/test\//, 'the journal had put the whole test environment in place');
    assert.match(r.stdout, /wrote {3}hr\/production\/runbook\.md/);
    assert.equal(versionsOf(out, versions), ['test:1', 'production:1']);
    assert.not.ok(existsSync(join(out, '.mail-oauth-runbook.journal')));
  } finally {
    t.done();
  }
});

test('a hostile journal renames and removes nothing generate does not own', async () => {
  const t = workspace();
  try {
    assert.is((await runCli(['generate', 'hr.yaml'], { cwd: t.path })).code, 0);
    const out = join(t.path, 'hr');
    writeFileSync(join(out, 'notes.md'), 'mine');
    writeFileSync(join(out, '.0123456789ab.tmp'), 'planted');
    writeFileSync(join(t.path, 'precious.txt'), 'precious');
    const journal = {
      generatedBy: 'mail-oauth-runbook',
      renames: [
        ['.0123456789ab.tmp', 'notes.md'],
        ['../precious.txt', 'README.md'],
        ['.0123456789ab.tmp', 'test/runbook.md'],
      ],
      removes: ['notes.md', '../precious.txt', 'test'],
    };
    writeFileSync(join(out, '.mail-oauth-runbook.journal'), JSON.stringify(journal));
    const r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /skipped renaming ".0123456789ab.tmp" to "notes.md"/);
    assert.match(r.stderr, /skipped renaming "..\/precious.txt" to "README.md"/);
    assert.is(readFileSync(join(out, 'notes.md'), 'utf8'), 'mine');
    assert.is(readFileSync(join(t.path, 'precious.txt'), 'utf8'), 'precious');
    assert.match(r.stdout, new RegExp(`hr: 0 written, ${filesWritten(2)} unchanged, 0 removed`));
  } finally {
    t.done();
  }
});

test("random kills: each document is whole, and after the next run every environment's documents agree", async () => {
  const t = workspace();
  try {
    const versions = ['Bizagi HR mail (', 'Renamed HR mail ('];
    const texts = [example, renamed];
    assert.is((await runCli(['generate', 'hr.yaml'], { cwd: t.path })).code, 0);
    for (let round = 0; round < 12; round++) {
      writeFileSync(join(t.path, 'hr.yaml'), texts[round % 2]!);
      const child = spawn(process.execPath, [cliPath, 'generate', 'hr.yaml'], { cwd: t.path, stdio: 'ignore' });
      const delay = 40 + ((round * 53) % 160);
      await new Promise<void>((resolve) => {
        setTimeout(() => child.kill('SIGKILL'), delay);
        child.on('close', () => resolve());
      });
      const journal = existsSync(join(t.path, 'hr/.mail-oauth-runbook.journal'));
      const state = versionsOf(join(t.path, 'hr'), versions);
      if (!journal)
        assert.not.match(
          state.join(),
          /script/,
          `round ${round}: an environment is mixed without a journal to finish it`,
        );
      const r = await runCli(['generate', 'hr.yaml'], { cwd: t.path });
      assert.is(r.code, 0, r.stderr);
      assert.equal(versionsOf(join(t.path, 'hr'), versions), [`test:${round % 2}`, `production:${round % 2}`]);
    }
  } finally {
    t.done();
  }
});

test('--out on a kernel file system (/proc/self, /sys) is refused at once instead of spinning', async () => {
  const t = workspace();
  try {
    for (const out of ['/proc/self', '/proc/self/x/y', '/sys/kernel', '/dev/null/x']) {
      const started = Date.now();
      const r = await runCli(['generate', 'hr.yaml', '--out', out], { cwd: t.path, timeoutMs: 10_000 });
      assert.is(r.code, 2, `${out}: ${r.stderr}`);
      assert.match(r.stderr, /error \[(special-file-system|cannot-write|out-not-a-folder)\]/, out);
      assert.ok(Date.now() - started < 5000, `${out} took ${Date.now() - started} ms`);
    }
  } finally {
    t.done();
  }
});

test.run();
