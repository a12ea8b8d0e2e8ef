#!/usr/bin/env node
import module from 'node:module';
import { debugRequested } from './debug.ts';

// Node 22.1+: the chunks imported below are compiled once and cached on disk (dist/cli.js run directly gets it too,
// not only through bin/); Node 20 lacks the function and runs without. (@types/node stays at 20, the oldest line
// supported, so the compiler flags any API 20 does not have; hence this one is looked up, not typed.)
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

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
