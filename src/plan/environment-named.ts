import { UsageError } from '../errors.ts';
import { didYouMean } from '../manifest/suggest.ts';
import type { EnvironmentPlan, Plan } from './plan.ts';

/** The environment of this name (from --env or a caller), or a usage error that lists the manifest's and suggests the closest. */
export function environmentNamed(plan: Plan, name: string): EnvironmentPlan {
  const env = plan.environments.find((e) => e.name === name);
  if (env) return env;
  const names = plan.environments.map((e) => e.name);
  throw new UsageError(
    'unknown-environment',
    `the manifest has no environment "${name}" (it has: ${names.join(', ')})`,
    didYouMean(name, names) ?? `use one of: ${names.join(', ')}`,
  );
}
