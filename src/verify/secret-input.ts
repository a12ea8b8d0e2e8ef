import type { Io } from '../cli/io.ts';
import { UsageError } from '../errors.ts';

/** Reads the secret Value: one line on stdin (--secret-stdin), else the manifest's variable, else a hidden prompt on a terminal. */
export async function readSecret(io: Io, opts: { stdin: boolean; envVar: string | null; envName: string }): Promise<string> {
  if (opts.stdin) {
    const line = (await readAll(io.stdin)).split(/\r?\n/)[0] ?? '';
    if (!line.trim()) throw new UsageError('no-secret', '--secret-stdin was given but standard input held no secret', 'pipe the secret Value on one line, e.g. from your password manager\'s command-line tool');
    return line.trim();
  }
  if (opts.envVar) {
    const value = io.env[opts.envVar];
    // An empty variable counts as unset.
    if (value && value.trim()) return value.trim();
  }
  if (io.stdin.isTTY && io.stdin.setRawMode) return prompt(io, `Client secret Value for ${opts.envName} (input hidden): `);
  throw new UsageError(
    'no-secret',
    opts.envVar ? `no client secret: the environment variable ${opts.envVar} (app.secret.env) is not set` : 'no client secret: the manifest names no app.secret.env variable and standard input is not a terminal',
    `${opts.envVar ? `set ${opts.envVar} to the secret Value, ` : 'add app.secret.env to the manifest, '}pipe it with --secret-stdin, or run verify in a terminal to be asked for it; never pass a secret as a command-line argument`,
  );
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => {
      data += d;
      if (data.includes('\n')) resolve(data); // one line is all we need
    });
    stream.on('end', () => resolve(data));
    stream.on('error', reject);
  });
}

function prompt(io: Io, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = io.stdin;
    // Echo goes off before the question appears: input typed or pasted right after it must not be echoed.
    stdin.setRawMode!(true);
    io.stderr.write(question);
    stdin.setEncoding('utf8');
    stdin.resume();
    let value = '';
    const done = (result: string | Error) => {
      stdin.setRawMode!(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      io.stderr.write('\n');
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(value.trim());
        if (ch === '\u0003') return done(new UsageError('cancelled', 'cancelled', 'run verify again when you have the secret Value'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
