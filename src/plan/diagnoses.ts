import type { Protocol } from '../manifest/types.ts';
import type { DiagnosisText } from '../text/catalogue.ts';
import { catalogueFor, defaultLanguage, type Language } from '../text/languages.ts';
import { fullAccessAsApp, permissions } from './permissions.ts';
import type { StepId } from './steps.ts';

/**
 * What can go wrong and which step to redo. The runbook's troubleshooting table and verify's diagnoses are both read
 * from this one list, so they cannot disagree; what each says is in the catalogue of the document language
 * (src/text). Sources (docs/sources.md): AADSTS codes from Microsoft's "Microsoft Entra authentication and
 * authorization error codes"; mail replies from "Authenticate an IMAP, POP or SMTP connection using OAuth" and public
 * client issue threads; security defaults from "Enable or disable authenticated client SMTP submission (SMTP AUTH) in
 * Exchange Online".
 */
export interface DiagnosisFacts {
  id: string;
  redo: readonly StepId[];
  /** Only relevant when the environment uses one of these protocols. */
  protocols?: readonly Protocol[];
}

/** A diagnosis with what it says in one language. */
export type Diagnosis = DiagnosisFacts & DiagnosisText;

/** Keeps each id as a literal, so a diagnosis named anywhere in the code is checked against this list. */
const defineDiagnoses = <const T extends readonly DiagnosisFacts[]>(list: T): T => list;

const list = defineDiagnoses([
  { id: 'no-client-id', redo: ['record-ids'] },
  { id: 'aadsts-7000215', redo: ['create-secret'] },
  { id: 'aadsts-7000222', redo: ['create-secret'] },
  { id: 'aadsts-700016', redo: ['record-ids', 'register-app'] },
  { id: 'aadsts-90002', redo: ['record-ids'] },
  { id: 'aadsts-70011', redo: ['configure-bizagi'] },
  { id: 'aadsts-7000112', redo: [] },
  { id: 'aadsts-53003', redo: [] },
  { id: 'aadsts-90038', redo: [] },
  { id: 'missing-role', redo: ['add-permissions', 'grant-consent'] },
  { id: 'extra-role', redo: ['add-permissions'] },
  {
    id: 'auth-failed',
    redo: ['grant-consent', 'register-service-principal', 'grant-mailbox-access', 'assign-smtp-rbac'],
  },
  { id: 'imap-not-connected', redo: ['grant-mailbox-access'], protocols: ['imap'] },
  { id: 'smtp-auth-disabled', redo: ['enable-smtp-auth'], protocols: ['smtp'] },
  { id: 'smtp-send-as-denied', redo: ['grant-mailbox-access'], protocols: ['smtp'] },
  { id: 'network', redo: [] },
  { id: 'network-proxy', redo: [] },
  { id: 'network-untrusted-certificate', redo: [] },
]);

export type DiagnosisId = (typeof list)[number]['id'];
export const diagnoses: readonly (DiagnosisFacts & { id: DiagnosisId })[] = list;

/** The role names diagnoses quote. */
export const quotedRoles = {
  imap: permissions.imap.name,
  pop: permissions.pop.name,
  smtp: permissions.smtp.name,
  ews: fullAccessAsApp.name,
};

/**
 * Every diagnosis with its text in one language. `stepTitle` gives the title of a step a diagnosis quotes: the plan
 * passes its own steps' titles; by default, the catalogue's.
 */
export function diagnosesIn(
  language: Language,
  stepTitle: (id: StepId) => string = (id) => catalogueFor(language).steps.titles[id],
): Diagnosis[] {
  const text = catalogueFor(language).diagnoses({ roles: quotedRoles, stepTitle });
  return diagnoses.map((d) => ({ ...d, ...text[d.id] }));
}

export const diagnosisById = (id: DiagnosisId, language: Language = defaultLanguage): Diagnosis => {
  const d = diagnosesIn(language).find((x) => x.id === id);
  if (!d) throw new Error(`unknown diagnosis ${id}`);
  return d;
};
