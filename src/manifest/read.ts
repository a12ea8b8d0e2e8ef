import { open, type FileHandle } from 'node:fs/promises';
import type { Diagnostic } from './diagnostic.ts';

export const maxManifestBytes = 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

export const problem = (file: string, code: string, message: string, fix: string): ReadResult => ({
  ok: false,
  diagnostic: { file, line: 1, column: 1, severity: 'error', code, message, fix },
});

/**
 * Reads a manifest as UTF-8 text, refusing what cannot be one: missing, a folder, too large, binary, not UTF-8,
 * empty. The size limit holds while reading, so a pipe, /dev/zero or a file that keeps growing stops at the limit.
 */
export async function readManifestText(path: string, shownAs = path): Promise<ReadResult> {
  const unreadable = (e: unknown) => {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      return problem(
        shownAs,
        'file-not-found',
        'no such file',
        'check the path, or create a starter manifest with `mail-oauth-runbook init`',
      );
    if (code === 'EISDIR') return isFolder();
    return problem(
      shownAs,
      'file-unreadable',
      `cannot read the file (${code ?? 'unknown error'})`,
      'check the path and its permissions',
    );
  };
  const isFolder = () =>
    problem(shownAs, 'file-is-directory', 'this is a folder, not a manifest file', 'name the .yaml file inside it');
  const tooLarge = (size?: number) =>
    problem(
      shownAs,
      'file-too-large',
      size === undefined
        ? `more than ${maxManifestBytes} bytes arrived and reading stopped there; a manifest is at most 1 MiB`
        : `the file is ${size} bytes; a manifest is at most ${maxManifestBytes} bytes (1 MiB)`,
      'a manifest describes a few environments and mailboxes; check that this is the right file',
    );
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    return unreadable(e);
  }
  let bytes: Buffer;
  try {
    const s = await handle.stat();
    if (s.isDirectory()) return isFolder();
    if (s.isFile() && s.size > maxManifestBytes) return tooLarge(s.size);
    const buf = Buffer.alloc(maxManifestBytes + 1);
    let n = 0;
    while (n < buf.length) {
      const { bytesRead } = await handle.read(buf, n, buf.length - n, null);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    if (n > maxManifestBytes) return tooLarge();
    bytes = buf.subarray(0, n);
  } catch (e) {
    return unreadable(e);
  } finally {
    await handle.close().catch(() => undefined);
  }
  return decodeManifestBytes(bytes, shownAs, {
    what: 'the file',
    how: 'save',
    emptyFix: 'start from `mail-oauth-runbook init` or the example in runbooks/',
  });
}

/**
 * Turns a manifest's bytes into text, refusing what cannot be one (binary, not UTF-8, empty): the same checks for a
 * file and for standard input, worded for each (`what` is the source, `how` the verb of the fix).
 */
export function decodeManifestBytes(
  bytes: Buffer,
  shownAs: string,
  words: { what: string; how: 'save' | 'pipe'; emptyFix: string },
): ReadResult {
  const nul = bytes.indexOf(0);
  if (nul !== -1)
    return problem(
      shownAs,
      'file-binary',
      `${words.what} holds a NUL byte at offset ${nul}: it is binary, not YAML text`,
      `${words.how} the manifest as plain UTF-8 text`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return problem(
      shownAs,
      'file-not-utf8',
      `${words.what} is not valid UTF-8 text`,
      `${words.how} the manifest with UTF-8 encoding`,
    );
  }
  if (text.trim() === '') return problem(shownAs, 'file-empty', `${words.what} is empty`, words.emptyFix);
  return { ok: true, text };
}
