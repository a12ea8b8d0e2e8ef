import type { EnvironmentPlan, Plan } from '../plan/plan.ts';
import type { contextFor, files } from './render.ts';

// The data each template renders from; scripts/template-fields.ts reads these types to generate the field reference
// and the shapes the template checker walks.

/** An environment's documents (runbook, portal checklist, field sheet, Exchange script) and the partials. */
export type DocumentContext = ReturnType<typeof contextFor>;

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
}
