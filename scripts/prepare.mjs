// npm's `prepare`: builds dist/ for a git install, `npm pack` and `npm install` in a clone.
// `npm install -g git+…` prepares the clone with an install that is itself global (npm/cli#8440), so the clone has
// no devDependencies and the build tools are missing: install them into the clone first, then build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.env.npm_execpath
  ? [process.execPath, process.env.npm_execpath]
  : [process.platform === 'win32' ? 'npm.cmd' : 'npm'];
// The outer install's settings reach us as npm_config_* variables; a global location, its prefix or its
// --allow-scripts would make the install below global too, or refuse it.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_config_(global|location|prefix|allow_scripts)$/i.test(k)),
);
const run = (args) => {
  const r = spawnSync(npm[0], [...npm.slice(1), ...args], { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
if (!existsSync(join(root, 'node_modules', 'tsx')) || !existsSync(join(root, 'node_modules', 'esbuild'))) {
  run(['ci', '--global=false', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline']);
}
run(['run', 'build', '--global=false']);
