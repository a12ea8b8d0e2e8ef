// The ids a catalogue's entries are keyed by. They live here, below the plan, so that the catalogues depend on
// nothing above them: the plan reads its text from src/text, never the other way round.

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

/** Every diagnosis, in the order of the troubleshooting table (src/plan/diagnoses.ts gives each its facts). */
export const diagnosisIds = [
  'no-client-id',
  'aadsts-7000215',
  'aadsts-7000222',
  'aadsts-700016',
  'aadsts-90002',
  'aadsts-70011',
  'aadsts-7000112',
  'aadsts-53003',
  'aadsts-90038',
  'missing-role',
  'extra-role',
  'auth-failed',
  'imap-not-connected',
  'smtp-auth-disabled',
  'smtp-send-as-denied',
  'network',
  'network-proxy',
  'network-untrusted-certificate',
] as const;
export type DiagnosisId = (typeof diagnosisIds)[number];
