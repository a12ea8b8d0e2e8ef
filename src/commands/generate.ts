import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import type { Io } from '../cli/io.ts';
import { ExitCode, ReportedError } from '../errors.ts';
import { buildPlan, type Plan } from '../plan/plan.ts';
import { configFor } from '../config/load-config.ts';
import type { Settings } from '../config/settings.ts';
import { loadRenderer } from '../render/load-renderer.ts';
import { renderAll } from '../render/render.ts';
import { checkOutputs, writeOutputs } from '../write/write-outputs.ts';
import { environmentNamed } from './environment.ts';
import { loadOrReport } from './validate.ts';

export interface GenerateOptions {
  out?: string;
  env?: string[];
  templates?: string;
  check?: boolean;
  config?: string;
}

/** The default output folder: beside the manifest, named after it without its extension. */
export const defaultOutDir = (manifest: string): string => join(dirname(manifest), basename(manifest, extname(manifest)));

/** The output folder, as shown to the user (relative to cwd): --out, else the config file's `out`, else beside the manifest. */
export function outDirFor(manifest: string, out: string | undefined, settings: Settings, cwd: string): string {
  if (out !== undefined) return out;
  if (settings.out) return relative(cwd, settings.out(basename(manifest, extname(manifest)))) || '.';
  return defaultOutDir(manifest);
}

export async function generateCommand(manifestArg: string, opts: GenerateOptions, io: Io): Promise<void> {
  const manifest = await loadOrReport(manifestArg, io);
  const plan = buildPlan(manifest, basename(manifestArg));
  const only = selectEnvironments(plan, opts.env);
  const { settings } = await configFor(manifestArg, io.cwd, opts.config);
  const templates = opts.templates ?? (settings.templates && (relative(io.cwd, settings.templates) || '.'));
  const render = await loadRenderer(templates && resolve(io.cwd, templates), templates);
  const files = renderAll(plan, render, only); // lazy: the writer renders, stages, and commits only at the end

  const outArg = outDirFor(manifestArg, opts.out, settings, io.cwd);
  const outDir = resolve(io.cwd, outArg);
  const shown = relative(io.cwd, outDir) || '.';
  const names = new Set(plan.environments.map((e) => e.name));
  // Files of environments left out by --env stay as they are; files of environments gone from the manifest are stale.
  const owned = (path: string) => {
    const env = path.includes('/') ? path.slice(0, path.indexOf('/')) : undefined;
    return env === undefined || !names.has(env) || !only || only.has(env);
  };

  if (opts.check) {
    const r = await checkOutputs(outDir, files, owned);
    if (r.missing.length + r.stale.length + r.extra.length === 0) {
      io.stdout.write(`${shown}: ${r.files} files up to date\n`);
      return;
    }
    for (const p of r.missing) io.stdout.write(`missing: ${join(shown, p)}\n`);
    for (const s of r.stale) io.stdout.write(`stale:   ${join(shown, s.path)}\n`);
    for (const p of r.extra) io.stdout.write(`extra:   ${join(shown, p)} (no longer generated)\n`);
    const { createTwoFilesPatch } = await import('diff'); // only when there is a diff to show
    for (const s of r.stale) {
      const name = join(shown, s.path);
      io.stdout.write(`\n${createTwoFilesPatch(`${name} (on disk)`, `${name} (generated)`, s.actual, s.expected, '', '', { context: 3 })}`);
    }
    io.stderr.write(`${shown} is out of date: run mail-oauth-runbook generate ${manifestArg}${opts.out ? ` --out ${opts.out}` : ''}\n`);
    throw new ReportedError(ExitCode.checkFailed);
  }

  const r = await writeOutputs(outDir, files, owned, shown);
  for (const p of r.written) io.stdout.write(`wrote   ${join(shown, p)}\n`);
  for (const p of r.removed) io.stdout.write(`removed ${join(shown, p)} (environment no longer in the manifest)\n`);
  io.stdout.write(`${shown}: ${r.written.length} written, ${r.unchanged.length} unchanged, ${r.removed.length} removed\n`);
}

function selectEnvironments(plan: Plan, wanted: string[] | undefined): Set<string> | undefined {
  if (!wanted?.length) return undefined;
  for (const w of wanted) environmentNamed(plan, w);
  return new Set(wanted);
}
