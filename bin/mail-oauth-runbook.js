#!/usr/bin/env node
// The installed command. The CLI itself is built into dist/ by `npm run build` (run by npm's `prepare` for a git
// install); when an install skipped that build, say how to get it instead of failing with a module-not-found trace.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1+ keeps the compiled code of the bundle on disk (in the system temp folder), so later runs start faster;
// Node 20 has no compile cache and simply goes without.
module.enableCompileCache?.();

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'error [not-built]: mail-oauth-runbook is installed without its build (dist/cli.js is missing)\n' +
      "  fix: from a git URL, npm must run the package's prepare script: npm install -g --allow-scripts=mail-oauth-runbook git+https://…\n" +
      '       in a clone: npm ci && npm run build\n',
  );
  process.exitCode = 2;
} else {
  await import(cli.href);
}
