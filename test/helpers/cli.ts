import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { run } from '../../src/cli/program.ts';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = join(root, 'dist', 'cli.js');

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the built CLI as a user runs it. */
export function runCli(
  args: string[],
  opts: {
    cwd?: string;
    env?: Record<string, string | undefined>;
    input?: string;
    timeoutMs?: number;
    nodeArgs?: string[];
  } = {},
): Promise<Result> {
  return new Promise((resolve, reject) => {
    // The machine's proxy settings must not steer the CLI's loopback traffic in tests.
    const noProxy = { HTTPS_PROXY: undefined, https_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined };
    const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...noProxy, ...opts.env } as NodeJS.ProcessEnv;
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), cliPath, ...args], {
      cwd: opts.cwd ?? root,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined); // a CLI that stops reading early (a refused input) closes the pipe
    child.stdin.end(opts.input ?? '');
  });
}

/**
 * Runs a program as a user's shell would, with nothing of the test run's environment but PATH and HOME (no npm_*
 * variables of the outer `npm test`), plus `env`.
 */
export function runProgram(
  file: string,
  args: string[],
  opts: { cwd: string; env?: Record<string, string> },
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the CLI in this process with a captured, injectable world (fixed clock, fake env). */
export async function runInProcess(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; now?: string } = {},
): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const { Readable } = await import('node:stream');
  const code = await run(args, {
    cwd: opts.cwd ?? root,
    env: { NO_COLOR: '1', ...opts.env },
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([]),
    now: () => new Date(opts.now ?? '2026-11-28T12:00:00Z'),
  });
  return { code, stdout, stderr };
}

export function tempDir(): { path: string; done: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'mor-test-'));
  return { path, done: () => rmSync(path, { recursive: true, force: true }) };
}

export const updating = process.env.UPDATE === '1';
