import type { IndexColumn } from '../plan/documents.ts';
import type { files } from '../plan/layout.ts';
import type { EnvironmentPlan, Plan } from '../plan/plan.ts';
import type { Flow } from './flow.ts';

// The data each template renders from; scripts/template-fields.ts reads these types to generate the field reference
// and the shapes the template checker walks.

/** An environment's documents (every document in the table rendered per environment) and the partials. */
export interface DocumentContext {
  plan: Plan;
  env: EnvironmentPlan;
  cloud: Plan['cloud'];
  files: typeof files;
  flow: Flow;
}

/** The output folder's README.md (index.md.hbs). */
export interface IndexContext {
  plan: Plan;
  cloud: Plan['cloud'];
  environments: EnvironmentPlan[];
  files: typeof files;
  /** Whether an environment is retired (state: absent), so the index explains its decommission documents. */
  retired: boolean;
  /** Whether generate writes each environment's handout.html (--html), so the index links them too. */
  handouts: boolean;
  /** The document columns of the index's table, in order: the file each kind of environment has in that column. */
  columns: IndexColumn[];
}
