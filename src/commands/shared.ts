// Helpers every command may use: reading a manifest with its diagnostics printed.
import { resolve } from 'node:path';
import type { Io } from '../io.ts';
import { today, useColor } from '../io.ts';
import { ExitCode, ReportedError } from '../errors.ts';
import { loadManifest, type Loaded } from '../manifest/load.ts';
import { formatDiagnostic } from '../manifest/print-diagnostics.ts';
import type { Diagnostic } from '../manifest/diagnostic.ts';

/** Loads a manifest and prints its diagnostics; throws ReportedError(2) when it has errors. Shared by every command that reads one. */
export async function loadOrReport(
  file: string,
  io: Io,
  shown: (d: Diagnostic) => boolean = () => true,
): Promise<NonNullable<Loaded['manifest']>> {
  const loaded = await loadManifest(resolve(io.cwd, file), { shownAs: file, today: today(io) });
  printDiagnostics({ ...loaded, diagnostics: loaded.diagnostics.filter(shown) }, io);
  if (!loaded.manifest) throw new ReportedError(ExitCode.badInput);
  return loaded.manifest;
}

export function printDiagnostics(loaded: Loaded, io: Io): void {
  const color = useColor(io.stderr, io.env);
  for (const d of loaded.diagnostics) io.stderr.write(`${formatDiagnostic(d, { source: loaded.source, color })}\n\n`);
}
