import type { Diagnostic } from './diagnostic.ts';
import { maxManifestBytes } from './read.ts';

export const stdinName = '<stdin>';

const problem = (file: string, code: string, message: string, fix: string): { ok: false; diagnostic: Diagnostic } => ({
  ok: false,
  diagnostic: { file, line: 1, column: 1, severity: 'error', code, message, fix },
});

/** Reads a manifest from standard input with the file's limits: at most 1 MiB, UTF-8 text, no NUL, not empty. */
export async function readStdinText(
  stdin: NodeJS.ReadableStream,
  shownAs = stdinName,
): Promise<{ ok: true; text: string } | { ok: false; diagnostic: Diagnostic }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > maxManifestBytes) {
      (stdin as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      return problem(
        shownAs,
        'file-too-large',
        `standard input holds more than ${maxManifestBytes} bytes; a manifest is at most ${maxManifestBytes} bytes (1 MiB)`,
        'pipe the manifest itself',
      );
    }
    chunks.push(b);
  }
  const bytes = Buffer.concat(chunks);
  const nul = bytes.indexOf(0);
  if (nul !== -1)
    return problem(
      shownAs,
      'file-binary',
      `standard input holds a NUL byte at offset ${nul}: it is binary, not YAML text`,
      'pipe the manifest as plain UTF-8 text',
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return problem(
      shownAs,
      'file-not-utf8',
      'standard input is not valid UTF-8 text',
      'pipe the manifest with UTF-8 encoding',
    );
  }
  if (text.trim() === '')
    return problem(
      shownAs,
      'file-empty',
      'standard input is empty',
      'pipe a manifest, e.g. cat contoso-hr.yaml | mail-oauth-runbook validate -',
    );
  return { ok: true, text };
}
