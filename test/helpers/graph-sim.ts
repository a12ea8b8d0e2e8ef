// Runs PowerShell scripts with real pwsh against the simulated Microsoft Graph in test/pwsh/Microsoft.Graph.* (see
// Microsoft.Graph.Authentication.psm1's header for the state file and the behaviours it follows). Reusable by any
// test of a generated script, with the same API as exchange-sim.ts:
//
//   const sim = new GraphSim();
//   const tenant = sim.tenant({ applications: [application('Bizagi HR mail')] });
//   sim.run(tenant, 'runbooks/contoso-hr/test/entra-setup.ps1', { WhatIf: true });
//   const [r] = await sim.execute();        // r.exitCode, r.output, r.errors, r.state, r.calls, r.changes ...
//   sim.done();
//
// Runs are executed in the order queued; runs on the same tenant see each other's changes (run again, partial state).
// The tenant's shapes and seed builders are in graph-tenant.ts, re-exported here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './cli.ts';
import { graphTenantState, type GraphTenantSeed, type GraphTenantState } from './graph-tenant.ts';
import { PwshSimulation, type SimFile, type SimRun } from './pwsh-sim.ts';

export * from './graph-tenant.ts';

const driver = join(root, 'test', 'pwsh', 'run-graph-jobs.ps1');

// ---------------------------------------------------------------- runs

export interface GraphRequest {
  method: string;
  /** Path and query as Graph received them (a fragment cut off, the query still encoded). */
  uri: string;
  status: number;
}
export interface GraphLogEntry {
  cmdlet: string;
  parameters: Record<string, unknown>;
  change: boolean;
  /** The HTTP requests of this call; none for a write that -WhatIf stopped. */
  requests: GraphRequest[];
}
export type GraphRunResult = SimRun<GraphTenantState, GraphLogEntry>;
export type GraphTenant = SimFile;

export class GraphSim extends PwshSimulation<GraphTenantState, GraphLogEntry> {
  constructor(pwsh?: string) {
    super(
      {
        driver,
        stateVariable: 'GRAPH_SIM_STATE',
        logVariable: 'GRAPH_SIM_LOG',
        prefix: 'mor-graph-',
        readState: readGraphState,
      },
      pwsh,
    );
  }

  /** Writes a tenant file; runs given this tenant share it (each sees the changes of the runs before). */
  tenant(seed: GraphTenantSeed | GraphTenantState = {}): GraphTenant {
    return this.writeState(graphTenantState(seed));
  }
}

/** The simulation writes its own shapes back; absent lists read as []. */
export function readGraphState(file: string): GraphTenantState {
  const s = JSON.parse(readFileSync(file, 'utf8').replace(/^\ufeff/, '')) as Partial<GraphTenantState>;
  return {
    ...graphTenantState(),
    ...s,
    applications: s.applications ?? [],
    servicePrincipals: s.servicePrincipals ?? [],
    appRoleAssignments: s.appRoleAssignments ?? [],
    faults: s.faults ?? [],
  };
}
