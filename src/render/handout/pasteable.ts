import type { EnvironmentPlan, Plan } from '../../plan/plan.ts';

/**
 * The values someone pastes from the handout into a portal, the Management Console, PowerShell or a shell: the
 * handout puts a copy button beside every code span holding exactly one of them.
 */
export function pasteableValues(plan: Plan, env: EnvironmentPlan): Set<string> {
  const values = [
    plan.tenant.id,
    plan.tenant.domain,
    plan.cloud.portal,
    plan.contacts.exchangeAdmin,
    env.app.displayName,
    env.app.clientId,
    env.app.objectId,
    env.app.secretEnv,
    env.workPortalUrl,
    env.redirectUri,
    env.tokenUri,
    env.scope,
    env.smtp.group,
    ...env.permissions.map((p) => p.name),
    ...env.servers.map((s) => s.host),
    ...env.mailboxes.flatMap((m) => [m.address, ...m.sendAs]),
  ];
  return new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''));
}
