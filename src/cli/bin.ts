#!/usr/bin/env node
import { debugRequested } from './debug.ts';

// Source maps cost start-up time, so Node reads them only when a stack trace may be shown; the program is imported
// after this so its own code is mapped too.
if (debugRequested(process.argv.slice(2), process.env)) process.setSourceMapsEnabled(true);
const { run } = await import('./program.ts');

const code = await run(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  now: () => new Date(),
});
process.exitCode = code;
