// The simulated Microsoft Graph's own tests (graph-sim*.test.ts) as cases: a PowerShell body run after
// Import-Module and Connect-MgGraph, a tenant seed, a check; every case of a file runs in one pwsh process.
import { test } from 'uvu';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphSim, defaultTenantId, setupScopes, type GraphRunResult, type GraphTenantSeed } from './graph-sim.ts';
import { pwshForTier, reportSkipped } from './pwsh-tier.ts';

// User.Read too: GET /organization needs it (organization-get), none of the setup scopes covers it.
export const scopes = [...setupScopes, 'User.Read'].map((s) => `'${s}'`).join(',');
export const connect = `Connect-MgGraph -Scopes ${scopes} -TenantId '${defaultTenantId}' -NoWelcome`;

export const outputs = (r: GraphRunResult) => r.records.filter((x) => x.stream === 'output').map((x) => x.text);

export interface GraphCase {
  name: string;
  body: string;
  seed?: GraphTenantSeed;
  /** false: no Connect-MgGraph first; a string: this one instead of `connect`. */
  connect?: false | string;
  /** Switches for the case's script, which then declares [CmdletBinding(SupportsShouldProcess)]. */
  parameters?: Record<string, boolean>;
  readAs?: 'windows-powershell-5.1';
  /** The script file's bytes (default: UTF-8 without BOM). */
  bytes?: (text: string) => Buffer;
  check: (r: GraphRunResult) => void;
}

/** Registers the cases as uvu tests of this file (skipped visibly without pwsh) and runs them; `more` adds tests. */
export function runGraphCases(file: string, cases: GraphCase[], more?: (sim: GraphSim) => void): void {
  const pwsh = pwshForTier(file);
  if (!pwsh) {
    reportSkipped(cases.length + (more ? 1 : 0), file);
    return;
  }
  const sim = new GraphSim(pwsh);
  let results: GraphRunResult[] = [];
  test.before(async () => {
    cases.forEach((c, i) => {
      const script = join(sim.dir, `case-${i}.ps1`);
      const head = c.parameters ? '[CmdletBinding(SupportsShouldProcess)] param()\n' : '';
      const login = c.connect === false ? '' : `${c.connect ?? connect}\n`;
      const text = `${head}Import-Module Microsoft.Graph.Applications\n${login}${c.body}\n`;
      writeFileSync(script, c.bytes ? c.bytes(text) : text);
      sim.run(sim.tenant(c.seed ?? {}), script, c.parameters ?? {}, { readAs: c.readAs });
    });
    results = await sim.execute();
  });
  test.after(() => sim.done());
  // A failing check shows what the run printed: the simulation's answers are the evidence.
  cases.forEach((c, i) =>
    test(`simulated Microsoft Graph: ${c.name}`, () => {
      try {
        c.check(results[i]!);
      } catch (e) {
        if (e instanceof Error)
          e.message += `\n--- run output (exit ${results[i]!.exitCode}) ---\n${results[i]!.output}`;
        throw e;
      }
    }),
  );
  more?.(sim);
  test.run();
}
