/** Stable step ids: runbook anchors, script comments and verify diagnoses all use them. Never rename one. */
export type StepId =
  | 'register-app'
  | 'add-permissions'
  | 'grant-consent'
  | 'create-secret'
  | 'record-ids'
  | 'register-service-principal'
  | 'grant-mailbox-access'
  | 'assign-smtp-rbac'
  | 'enable-smtp-auth'
  | 'configure-bizagi'
  | 'verify';

export type Actor = 'entra' | 'consent' | 'exchange' | 'bizagi' | 'it-support';
export const actors: readonly Actor[] = ['entra', 'consent', 'exchange', 'bizagi', 'it-support'];

export interface Step {
  id: StepId;
  number: number;
  title: string;
  actor: Actor;
  /** `[Step N: title](#id)`-ready anchor inside runbook.md. */
  anchor: string;
}

const catalogue: { id: StepId; title: string; actor: Actor }[] = [
  { id: 'register-app', title: 'Register the app in Microsoft Entra ID', actor: 'entra' },
  { id: 'add-permissions', title: 'Add the Exchange Online application permissions', actor: 'entra' },
  { id: 'grant-consent', title: 'Grant admin consent', actor: 'consent' },
  { id: 'create-secret', title: 'Create a client secret and copy its Value', actor: 'entra' },
  { id: 'record-ids', title: 'Record the IDs', actor: 'entra' },
  { id: 'register-service-principal', title: 'Register the service principal in Exchange Online', actor: 'exchange' },
  { id: 'grant-mailbox-access', title: 'Grant the app access to each mailbox', actor: 'exchange' },
  { id: 'assign-smtp-rbac', title: 'Allow SMTP sending through RBAC for Applications', actor: 'exchange' },
  { id: 'enable-smtp-auth', title: 'Turn on SMTP AUTH for the SMTP mailboxes', actor: 'exchange' },
  { id: 'configure-bizagi', title: 'Configure OAuth e-mail in the Bizagi Management Console', actor: 'bizagi' },
  { id: 'verify', title: 'Verify the setup', actor: 'it-support' },
];

/** Numbers the steps that apply, in procedure order. */
export function buildSteps(applies: (id: StepId) => boolean): Step[] {
  return catalogue.filter((s) => applies(s.id)).map((s, i) => ({ ...s, number: i + 1, anchor: s.id }));
}
