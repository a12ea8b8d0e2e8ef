// Runs the uvu suites through tsx, several test files at once (most of a suite's time is spent waiting on the
// processes and servers it starts), prints each file's output whole and in order, and ends with one
// "N passed, N failed" line (uvu's own summary is not in that form).
// Usage: node test/run.mjs [file-name regex]   TEST_JOBS=<n> sets how many files run at once (default 2, one per core
// of the project's machines); TEST_FILE_TIMEOUT=<seconds> ends a file that hangs (default 480) and counts a failure.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';

const pattern = new RegExp(process.argv[2] ?? '\\.test\\.ts$');
const files = readdirSync('test')
  .filter((f) => f.endsWith('.test.ts') && pattern.test(f))
  .sort();
const jobs = Math.max(1, Number(process.env.TEST_JOBS) || 2);
const fileTimeoutMs = Math.max(1, Number(process.env.TEST_FILE_TIMEOUT) || 480) * 1000;

const runFile = (file) =>
  new Promise((resolve) => {
    const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const child = spawn(process.execPath, ['--import', 'tsx', 'node_modules/uvu/bin.js', 'test', `^${escaped}$`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    // A test that waits forever (a server that never answers, a socket never closed) must not hang the whole run.
    const timer = setTimeout(() => {
      out += `\n${file}: still running after ${fileTimeoutMs / 1000} s: ended (TEST_FILE_TIMEOUT)\n`;
      child.kill('SIGKILL');
    }, fileTimeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
      const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? NaN);
      const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? NaN);
      // A file that crashed before uvu's summary counts as one failure.
      if (Number.isNaN(total) || Number.isNaN(passed)) resolve({ out, passed: 0, failed: 1 });
      else resolve({ out, passed, failed: total - passed + (code === 0 ? 0 : total === passed ? 1 : 0) });
    });
  });

const results = new Array(files.length);
let next = 0;
let printed = 0;
const flush = () => {
  while (printed < files.length && results[printed]) process.stdout.write(results[printed++].out);
};
await Promise.all(
  Array.from({ length: Math.min(jobs, files.length) }, async () => {
    while (next < files.length) {
      const i = next++;
      results[i] = await runFile(files[i]);
      flush();
    }
  }),
);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
if (files.length === 0) console.log(`no test file matches ${pattern}`);
console.log(`${passed} passed, ${failed + (files.length === 0 ? 1 : 0)} failed`);
process.exit(failed === 0 && files.length > 0 ? 0 : 1);
