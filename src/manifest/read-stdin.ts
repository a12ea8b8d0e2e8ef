import { decodeManifestBytes, maxManifestBytes, problem, type ReadResult } from './read.ts';

export const stdinName = '<stdin>';

/** Reads a manifest from standard input with the file's limits: at most 1 MiB, UTF-8 text, no NUL, not empty. */
export async function readStdinText(stdin: NodeJS.ReadableStream, shownAs = stdinName): Promise<ReadResult> {
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
  return decodeManifestBytes(Buffer.concat(chunks), shownAs, {
    what: 'standard input',
    how: 'pipe',
    emptyFix: 'pipe a manifest, e.g. cat contoso-hr.yaml | mail-oauth-runbook validate -',
  });
}
