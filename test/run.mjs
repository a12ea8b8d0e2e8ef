// Runs the uvu suites through tsx and ends with one "N passed, N failed" line (uvu's own summary is not in that form).
import { spawn } from 'node:child_process';

const pattern = process.argv[2] ?? '\\.test\\.ts$';
const child = spawn(process.execPath, ['--import', 'tsx', 'node_modules/uvu/bin.js', 'test', pattern], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
});
let out = '';
child.stdout.on('data', (d) => {
  out += d;
  process.stdout.write(d);
});
child.on('close', (code) => {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? NaN);
  const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? NaN);
  if (Number.isNaN(total) || Number.isNaN(passed)) {
    console.log('0 passed, 1 failed');
    process.exit(code || 1);
  }
  console.log(`${passed} passed, ${total - passed} failed`);
  process.exit(code ?? 1);
});
