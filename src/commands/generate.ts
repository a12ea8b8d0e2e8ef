import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { editorSchemaFile, editorSchemaLink, writeEditorSchema } from '../write/editor-schema.ts';
import { basename, join, relative, resolve } from 'node:path';
import type { Io } from '../io.ts';
import { ExitCode, ReportedError, UsageError } from '../errors.ts';
import { environmentFile, environmentOf, files as outputFiles, outDirFor } from '../plan/layout.ts';
import { buildPlan, type Plan } from '../plan/plan.ts';
import { configFor } from '../config/load-config.ts';
import { loadRenderer } from '../render/load-renderer.ts';
import { renderAll } from '../render/render.ts';
import { checkOutputs, writeOutputs } from '../write/write-outputs.ts';
import { environmentNamed } from '../plan/environment-named.ts';
import { printDiagnostics } from './shared.ts';
import { manifestsToUse } from './manifest-files.ts';
import { today } from '../io.ts';
import { checkAcrossManifests, loadManifest } from '../manifest/load.ts';
import { didYouMean } from '../manifest/suggest.ts';
import type { Render } from '../render/engine.ts';
import { manifestLocation } from './manifest-location.ts';
import { defaultFlavor, parseFlavor, type Flavor } from '../render/flavors.ts';
import type { HandoutOutput } from '../render/render.ts';

export interface GenerateOptions {
  out?: string;
  env?: string[];
  templates?: string;
  check?: boolean;
  config?: string;
  force?: boolean;
  /** Markdown flavour (checked before anything is read: a typo is a usage error). */
  flavor?: string;
  /** Also write the HTML handout of each environment. */
  html?: boolean;
}

/**
 * Generates (or checks) the documents of every manifest named, in one process: the CI loop over a docs repository is
 * one command with one exit code. Every manifest is loaded and checked before anything is written, so an invalid one
 * writes nothing at all; each manifest's output folder is then replaced as a whole, one after another.
 */
export async function generateCommand(manifestArgs: string[], opts: GenerateOptions, io: Io): Promise<void> {
  if (opts.out !== undefined && opts.out.trim() === '') {
    throw new UsageError(
      'empty-out',
      '--out is empty',
      'name the output folder, e.g. --out docs (use --out . for the current folder)',
    );
  }
  const cliFlavor = opts.flavor === undefined ? undefined : parseFlavor(opts.flavor);
  const manifests = await manifestsToUse(manifestArgs, io.cwd);
  if (manifests.length > 1 && opts.out !== undefined) {
    throw new UsageError(
      'out-with-several-manifests',
      `--out names one folder, but ${manifests.length} manifests were given`,
      "leave out --out (each manifest gets the folder beside it, or the config file's out), or run generate once per manifest",
    );
  }
  const checked = [];
  for (const arg of manifests)
    checked.push({ arg, l: await loadManifest(resolve(io.cwd, arg), { shownAs: arg, today: today(io) }) });
  checkAcrossManifests(checked.map(({ l }) => l)); // as validate does: two projects must not read one mailbox
  const loaded: { arg: string; plan: Plan }[] = [];
  for (const { arg, l } of checked) {
    printDiagnostics(l, io);
    if (l.manifest)
      loaded.push({ arg, plan: buildPlan(l.manifest, basename(arg), manifestLocation(resolve(io.cwd, arg))) });
  }
  if (loaded.length < checked.length) throw new ReportedError(ExitCode.badInput);
  const selections = loaded.map(({ plan }) => selectEnvironments(plan, opts.env, loaded.length > 1));
  if (opts.env?.length && loaded.length > 1) {
    const everywhere = new Set(loaded.flatMap(({ plan }) => plan.environments.map((e) => e.name)));
    const unknown = opts.env.filter((e) => !everywhere.has(e));
    if (unknown.length)
      throw new UsageError(
        'unknown-environment',
        `no manifest has an environment "${unknown[0]}" (they have: ${[...everywhere].sort().join(', ')})`,
        didYouMean(unknown[0]!, [...everywhere]) ?? 'name an environment one of the manifests has',
      );
  }

  const renderers = new Map<string, Promise<Render>>(); // one per templates folder and flavour, shared by the manifests using it
  const renderer = (templates: string | undefined, flavor: Flavor) => {
    const key = `${flavor}\0${templates ?? ''}`;
    if (!renderers.has(key))
      renderers.set(
        key,
        loadRenderer(
          templates && resolve(io.cwd, templates),
          templates,
          (m) => io.stderr.write(`warning: ${m}\n`),
          flavor,
        ),
      );
    return renderers.get(key)!;
  };
  let outOfDate = false;
  for (const [i, { arg, plan }] of loaded.entries()) {
    const only = selections[i];
    if (only && only.size === 0) continue; // none of the environments named with --env is in this manifest
    const { settings } = await configFor(arg, io, opts.config, opts.templates !== undefined ? ['templates'] : []);
    const templates = opts.templates ?? (settings.templates && (relative(io.cwd, settings.templates) || '.'));
    const flavor = cliFlavor ?? settings.flavor ?? defaultFlavor;
    const render = await renderer(templates, flavor);
    // The handout is made from the GitHub-flavoured documents whatever the flavour; its renderer (unified, rehype) is
    // loaded only when asked, so other runs do not pay for it.
    const handout: HandoutOutput | undefined =
      (opts.html ?? settings.html)
        ? {
            render: await renderer(templates, 'github'),
            toHtml: (await import('../render/handout/handout.ts')).renderHandout,
          }
        : undefined;
    const outArg = outDirFor(arg, opts.out, settings.out, io.cwd);
    if (!(await generateOne(arg, plan, only, render, outArg, opts, io, handout))) outOfDate = true;
    if (!(await keepEditorSchemaCurrent(arg, opts, io))) outOfDate = true;
  }
  if (outOfDate) throw new ReportedError(ExitCode.checkFailed);
}

/** One manifest's documents: written, or with --check compared. Returns false when --check found a difference. */
async function generateOne(
  manifestArg: string,
  plan: Plan,
  only: Set<string> | undefined,
  render: Render,
  outArg: string,
  opts: GenerateOptions,
  io: Io,
  handout?: HandoutOutput,
): Promise<boolean> {
  const files = renderAll(plan, render, only, handout); // lazy: the writer renders, stages, and commits only at the end
  const outDir = resolve(io.cwd, outArg);
  const shown = relative(io.cwd, outDir) || '.';
  const names = new Set(plan.environments.map((e) => e.name));
  // Files of environments left out by --env stay as they are; files of environments gone from the manifest are stale.
  const owned = (path: string) => {
    const env = environmentOf(path);
    return env === undefined || !names.has(env) || !only || only.has(env);
  };

  if (opts.check) {
    const r = await checkOutputs(outDir, files, owned);
    if (r.interrupted)
      io.stdout.write(
        `interrupted: ${shown} holds the half-applied changes of a killed generate (the next generate finishes them)\n`,
      );
    if (r.missing.length + r.stale.length + r.extra.length === 0 && !r.interrupted) {
      io.stdout.write(`${shown}: ${r.files} files up to date\n`);
      return true;
    }
    for (const p of r.missing) io.stdout.write(`missing: ${join(shown, p)}\n`);
    for (const s of r.stale) io.stdout.write(`stale:   ${join(shown, s.path)}\n`);
    for (const p of r.extra) io.stdout.write(`extra:   ${join(shown, p)} (no longer generated)\n`);
    const { createTwoFilesPatch } = await import('diff'); // only when there is a diff to show
    for (const s of r.stale) {
      const name = join(shown, s.path);
      io.stdout.write(
        `\n${createTwoFilesPatch(`${name} (on disk)`, `${name} (generated)`, s.actual, s.expected, '', '', { context: 3 })}`,
      );
    }
    io.stderr.write(`${shown} is out of date: run ${regenerateCommand(manifestArg, opts)}\n`);
    return false;
  }

  const warn = (m: string) => io.stderr.write(`warning: ${m}\n`);
  const r = await writeOutputs(outDir, files, owned, { shownDir: shown, force: opts.force, warn });
  if (r.completed) io.stdout.write(`finished the ${r.completed} renames of an interrupted earlier run\n`);
  for (const p of r.written) io.stdout.write(`wrote   ${join(shown, p)}\n`);
  for (const p of r.removed) {
    const env = environmentOf(p);
    const why = env && !names.has(env) ? 'environment no longer in the manifest' : 'no longer generated';
    io.stdout.write(`removed ${join(shown, p)} (${why})\n`);
  }
  io.stdout.write(
    `${shown}: ${r.written.length} written, ${r.unchanged.length} unchanged, ${r.removed.length} removed\n`,
  );
  // The index lists every environment (a later run writes the others); say which of its links lead nowhere yet.
  const unwritten = plan.environments
    .filter((e) => only && !only.has(e.name))
    .filter((e) => !existsSync(join(outDir, environmentFile(e.name, e.retired ? 'decommission' : 'runbook'))));
  if (unwritten.length)
    warn(
      `${join(shown, outputFiles.index)} links to the documents of ${unwritten.map((e) => e.name).join(', ')}, which are not in ${shown} yet: generate with ${unwritten.map((e) => `--env ${e.name}`).join(' ')} (or without --env) to write them`,
    );
  return true;
}

/** The schema copy the manifest's modeline links to: rewritten when stale, reported by --check. False: --check failed. */
async function keepEditorSchemaCurrent(manifestArg: string, opts: GenerateOptions, io: Io): Promise<boolean> {
  const manifestPath = resolve(io.cwd, manifestArg);
  const link = await editorSchemaLink(manifestPath, await readFile(manifestPath, 'utf8'));
  if (!link) return true;
  const shown = relative(io.cwd, link.path) || link.path;
  if (link.state === 'outside') {
    io.stderr.write(
      `warning: ${manifestArg}: the editor link ($schema=${link.ref}) points outside the repository, so it does not resolve on other machines; link a copy beside the manifest instead: # yaml-language-server: $schema=${editorSchemaFile} (generate then keeps it current)\n`,
    );
    return true;
  }
  if (link.state === 'current' || link.state === 'foreign') return true;
  if (opts.check) {
    io.stdout.write(
      `${link.state === 'missing' ? 'missing:' : 'stale:  '} ${shown} (the editor schema ${manifestArg} links to)\n`,
    );
    io.stderr.write(`${shown} is out of date: run ${regenerateCommand(manifestArg, opts)}\n`);
    return false;
  }
  await writeEditorSchema(link.path);
  io.stdout.write(`wrote   ${shown} (the editor schema ${manifestArg} links to)\n`);
  return true;
}

/**
 * The command that brings the files --check compared up to date: the same flags as the check, or it would write other
 * files (without --html it would delete the handouts the check compared).
 */
export function regenerateCommand(manifestArg: string, opts: GenerateOptions): string {
  const words = ['mail-oauth-runbook', 'generate', manifestArg];
  if (opts.out !== undefined) words.push('--out', opts.out);
  for (const e of opts.env ?? []) words.push('--env', e);
  if (opts.templates !== undefined) words.push('--templates', opts.templates);
  if (opts.flavor !== undefined) words.push('--flavor', opts.flavor);
  if (opts.html !== undefined) words.push(opts.html ? '--html' : '--no-html');
  if (opts.config !== undefined) words.push('--config', opts.config);
  return words.map(shellWord).join(' ');
}

/** Single-quoted (as POSIX shells and PowerShell read it) when it holds anything but plain path characters. */
const shellWord = (w: string): string => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'"'"'`)}'`);

/** --env: with one manifest every name must be one of its environments; with several, each takes those it has. */
function selectEnvironments(plan: Plan, wanted: string[] | undefined, several: boolean): Set<string> | undefined {
  if (!wanted?.length) return undefined;
  if (several) return new Set(wanted.filter((w) => plan.environments.some((e) => e.name === w)));
  for (const w of wanted) environmentNamed(plan, w);
  return new Set(wanted);
}
