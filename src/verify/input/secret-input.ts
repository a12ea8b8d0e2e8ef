import type { Io } from '../../io.ts';
import { UsageError } from '../../errors.ts';
import { diagnosisById } from '../../plan/diagnoses.ts';

/** Far more than any client secret Value (40 characters today): standard input is read no further than this. */
export const maxSecretBytes = 4096;

/** Shorter than any client secret Value Entra ID issues (about 40 characters). */
export const minSecretLength = 16;

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads the secret Value: one line on stdin (--secret-stdin), else the manifest's variable, else a hidden prompt on a
 * terminal. A value that cannot be a secret Value is refused before any request, without being echoed.
 */
export async function readSecret(
  io: Io,
  opts: { stdin: boolean; envVar: string | null; envName: string },
): Promise<string> {
  if (opts.stdin) {
    const line = (await firstLine(io.stdin)).trim();
    if (!line)
      throw new UsageError(
        'no-secret',
        '--secret-stdin was given but standard input held no secret',
        "pipe the secret Value on one line, e.g. from your password manager's command-line tool",
      );
    return checkSecretValue(line, 'standard input');
  }
  if (opts.envVar) {
    const value = io.env[opts.envVar];
    // An empty variable counts as unset.
    if (value && value.trim()) return checkSecretValue(value.trim(), `the environment variable ${opts.envVar}`);
  }
  if (io.stdin.isTTY && io.stdin.setRawMode)
    return checkSecretValue(await prompt(io, `Client secret Value for ${opts.envName} (input hidden): `), 'the prompt');
  throw new UsageError(
    'no-secret',
    opts.envVar
      ? `no client secret: the environment variable ${opts.envVar} (app.secret.env) is not set`
      : 'no client secret: the manifest names no app.secret.env variable and standard input is not a terminal',
    `${opts.envVar ? `set ${opts.envVar} to the secret Value, ` : 'add app.secret.env to the manifest, '}pipe it with --secret-stdin, or run verify in a terminal to be asked for it; never pass a secret as a command-line argument`,
  );
}

/** A secret Value is one line of 16 or more printable characters, and never a GUID (that is the Secret ID). */
export function checkSecretValue(value: string, source: string): string {
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new UsageError(
      'bad-secret',
      `the secret from ${source} holds a line break or another control character: a secret Value is one line`,
      'set it to the Value alone, e.g. export VAR="$(cat file)" keeps no trailing line break; nothing was sent',
    );
  }
  if (value.length < minSecretLength) {
    // Also what keeps redaction sound: a value this short could be any word of a report ("pass", "fail").
    throw new UsageError(
      'bad-secret',
      `the secret from ${source} is ${value.length} characters long: a client secret Value from Microsoft Entra ID has about 40`,
      'copy the whole Value column of the client secret (shown only right after it is created; create a new one if it is hidden); nothing was sent',
    );
  }
  if (guid.test(value)) {
    throw new UsageError(
      'secret-is-id',
      `the secret from ${source} is a GUID: that is the Secret ID, not the secret Value. ${diagnosisById('aadsts-7000215').cause}`,
      'copy the Value column of the client secret (shown only right after it is created; create a new one if it is hidden); nothing was sent',
    );
  }
  return value;
}

/** The first line of a stream, reading at most maxSecretBytes: an endless stream without a line break is refused. */
function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: string | Error) => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', reject);
      stream.pause();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (d: Buffer | string) => {
      const b = typeof d === 'string' ? Buffer.from(d) : d;
      const nl = b.indexOf(0x0a);
      chunks.push(nl === -1 ? b : b.subarray(0, nl));
      size += nl === -1 ? b.length : nl;
      if (size > maxSecretBytes)
        return finish(
          new UsageError(
            'bad-secret',
            `standard input holds more than ${maxSecretBytes} bytes before its first line break: a secret Value is one short line`,
            'pipe the secret Value alone, on one line; nothing was sent',
          ),
        );
      if (nl !== -1) finish(Buffer.concat(chunks).toString('utf8'));
    };
    const onEnd = () => finish(Buffer.concat(chunks).toString('utf8'));
    stream.on('data', onData);
    stream.on('end', onEnd);
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
        if (ch === '\u0003')
          return done(new UsageError('cancelled', 'cancelled', 'run verify again when you have the secret Value'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
        if (value.length > maxSecretBytes)
          return done(
            new UsageError(
              'bad-secret',
              `more than ${maxSecretBytes} characters were typed: a secret Value is one short line`,
              'paste the secret Value alone',
            ),
          );
      }
    };
    stdin.on('data', onData);
  });
}
