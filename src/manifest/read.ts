import { readFile, stat } from 'node:fs/promises';
import type { Diagnostic } from './diagnostic.ts';

export const maxManifestBytes = 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

const problem = (file: string, code: string, message: string, fix: string): ReadResult => ({
  ok: false,
  diagnostic: { file, line: 1, column: 1, severity: 'error', code, message, fix },
});

/** Reads a manifest as UTF-8 text, refusing what cannot be one: missing, a folder, too large, binary, not UTF-8, empty. */
export async function readManifestText(path: string, shownAs = path): Promise<ReadResult> {
  let size: number;
  try {
    const s = await stat(path);
    if (s.isDirectory()) return problem(shownAs, 'file-is-directory', 'this is a folder, not a manifest file', 'name the .yaml file inside it');
    size = s.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return problem(shownAs, 'file-not-found', 'no such file', 'check the path, or create a starter manifest with `mail-oauth-runbook init`');
    return problem(shownAs, 'file-unreadable', `cannot read the file (${code ?? 'unknown error'})`, 'check the path and its permissions');
  }
  if (size > maxManifestBytes) {
    return problem(shownAs, 'file-too-large', `the file is ${size} bytes; a manifest is at most ${maxManifestBytes} bytes (1 MiB)`, 'a manifest describes a few environments and mailboxes; check that this is the right file');
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return problem(shownAs, 'file-unreadable', `cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})`, 'check the path and its permissions');
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) return problem(shownAs, 'file-binary', `the file holds a NUL byte at offset ${nul}: it is binary, not YAML text`, 'save the manifest as plain UTF-8 text');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return problem(shownAs, 'file-not-utf8', 'the file is not valid UTF-8 text', 'save the manifest with UTF-8 encoding');
  }
  if (text.trim() === '') return problem(shownAs, 'file-empty', 'the file is empty', 'start from `mail-oauth-runbook init` or the example in runbooks/');
  return { ok: true, text };
}
