import type { Protocol } from '../manifest/types.ts';
import type { DiagnosisText } from '../text/catalogue.ts';
import { catalogueFor, defaultLanguage, type Language } from '../text/languages.ts';
import { fullAccessAsApp, permissions } from './permissions.ts';
import { diagnosisIds, type DiagnosisId, type StepId } from '../text/ids.ts';

/**
 * What can go wrong and which step to redo. The runbook's troubleshooting table and verify's diagnoses are both read
 * from this one list, so they cannot disagree; what each says is in the catalogue of the document language
 * (src/text). Sources (docs/sources.md): AADSTS codes from Microsoft's "Microsoft Entra authentication and
 * authorization error codes"; mail replies from "Authenticate an IMAP, POP or SMTP connection using OAuth" and public
 * client issue threads; security defaults from "Enable or disable authenticated client SMTP submission (SMTP AUTH) in
 * Exchange Online".
 */
export interface DiagnosisFacts {
  id: DiagnosisId;
  redo: readonly StepId[];
  /** Only relevant when the environment uses one of these protocols. */
  protocols?: readonly Protocol[];
}

/** A diagnosis with what it says in one language. */
export type Diagnosis = DiagnosisFacts & DiagnosisText;

/** Each diagnosis's facts; a Record, so the compiler asks for every id of src/text/ids.ts. */
const facts: Record<DiagnosisId, Omit<DiagnosisFacts, 'id'>> = {
  'no-client-id': { redo: ['record-ids'] },
  'aadsts-7000215': { redo: ['create-secret'] },
  'aadsts-7000222': { redo: ['create-secret'] },
  'aadsts-700016': { redo: ['record-ids', 'register-app'] },
  'aadsts-90002': { redo: ['record-ids'] },
  'aadsts-70011': { redo: ['configure-bizagi'] },
  'aadsts-7000112': { redo: [] },
  'aadsts-53003': { redo: [] },
  'aadsts-90038': { redo: [] },
  'missing-role': { redo: ['add-permissions', 'grant-consent'] },
  'extra-role': { redo: ['add-permissions'] },
  'auth-failed': { redo: ['grant-consent', 'register-service-principal', 'grant-mailbox-access', 'assign-smtp-rbac'] },
  'imap-not-connected': { redo: ['grant-mailbox-access'], protocols: ['imap'] },
  'smtp-auth-disabled': { redo: ['enable-smtp-auth'], protocols: ['smtp'] },
  'smtp-send-as-denied': { redo: ['grant-mailbox-access'], protocols: ['smtp'] },
  network: { redo: [] },
  'network-proxy': { redo: [] },
  'network-untrusted-certificate': { redo: [] },
};

export type { DiagnosisId };
export const diagnoses: readonly DiagnosisFacts[] = diagnosisIds.map((id) => ({ id, ...facts[id] }));

/** The role names diagnoses quote. */
export const quotedRoles = {
  imap: permissions.imap.name,
  pop: permissions.pop.name,
  smtp: permissions.smtp.name,
  ews: fullAccessAsApp.name,
};

/**
 * Every diagnosis with its text in one language. `stepTitle` gives the title of a step a diagnosis quotes: the plan
 * passes its own steps' titles; by default, the catalogue's. `requiredRoles`: the roles an environment's token must
 * carry, so its runbook names only those (by default all three).
 */
export function diagnosesIn(
  language: Language,
  stepTitle: (id: StepId) => string = (id) => catalogueFor(language).steps.titles[id],
  requiredRoles: readonly string[] = [quotedRoles.imap, quotedRoles.pop, quotedRoles.smtp],
): Diagnosis[] {
  const text = catalogueFor(language).diagnoses({ roles: quotedRoles, requiredRoles, stepTitle });
  return diagnoses.map((d) => ({ ...d, ...text[d.id] }));
}

export const diagnosisById = (id: DiagnosisId, language: Language = defaultLanguage): Diagnosis => {
  const d = diagnosesIn(language).find((x) => x.id === id);
  if (!d) throw new Error(`unknown diagnosis ${id}`);
  return d;
};
