import type { Protocol } from '../manifest/types.ts';
import { fullAccessAsApp, permissions } from './permissions.ts';
import type { StepId } from './steps.ts';

/**
 * What can go wrong and which step to redo. The runbook's troubleshooting table and verify's diagnoses are both read
 * from this one list, so they cannot disagree. Sources (docs/sources.md): AADSTS codes from Microsoft's "Microsoft Entra
 * authentication and authorization error codes"; mail replies from "Authenticate an IMAP, POP or SMTP connection using
 * OAuth" and public client issue threads; security defaults from "Enable or disable authenticated client SMTP
 * submission (SMTP AUTH) in Exchange Online".
 */
export interface Diagnosis {
  id: string;
  /** What the user sees (an error code or server reply). Static text, Markdown-safe. */
  symptom: string;
  cause: string;
  redo: readonly StepId[];
  /** Only relevant when the environment uses one of these protocols. */
  protocols?: readonly Protocol[];
  /** Advice when no step of ours fixes it. */
  advice?: string;
}

/** Keeps each id as a literal, so a diagnosis named anywhere in the code is checked against this list. */
const defineDiagnoses = <const T extends readonly Diagnosis[]>(list: T): T => list;

const list = defineDiagnoses([
  {
    id: 'no-client-id',
    symptom: 'The manifest has no client ID',
    cause: 'The app is not registered yet, or its Application (client) ID was not written back into the manifest.',
    redo: ['record-ids'],
  },
  {
    id: 'aadsts-7000215',
    symptom: 'AADSTS7000215: Invalid client secret provided',
    cause: 'The secret is wrong: most often the Secret ID was copied instead of the secret Value.',
    redo: ['create-secret'],
  },
  {
    id: 'aadsts-7000222',
    symptom: 'AADSTS7000222: The provided client secret keys are expired',
    cause: 'The client secret has expired.',
    redo: ['create-secret'],
  },
  {
    id: 'aadsts-700016',
    symptom: 'AADSTS700016: Application not found in the directory',
    cause: 'The client ID is wrong, or the app is registered in another tenant.',
    redo: ['record-ids', 'register-app'],
  },
  {
    id: 'aadsts-90002',
    symptom: 'AADSTS90002 or AADSTS900023: Tenant not found / invalid tenant',
    cause:
      'The tenant ID in the Access Token URI is wrong: a mistyped or truncated Directory (tenant) ID, or the ID of another tenant.',
    redo: ['record-ids'],
  },
  {
    id: 'aadsts-70011',
    symptom: 'AADSTS70011 or AADSTS1002012: invalid scope',
    cause: 'The scope is not the Exchange Online resource followed by /.default.',
    redo: ['configure-bizagi'],
  },
  {
    id: 'aadsts-7000112',
    symptom: 'AADSTS7000112: Application is disabled',
    cause: "The app's enterprise application (its service principal) is disabled for sign-in.",
    redo: [],
    advice:
      'Re-enable it: Enterprise applications > the app > Properties > Enabled for users to sign-in: Yes, then Save. Do not register a new app: it would get new IDs, and every step would have to be done again.',
  },
  {
    id: 'aadsts-53003',
    symptom: 'AADSTS53003: Access has been blocked by Conditional Access policies',
    cause: 'A tenant Conditional Access policy blocks the app.',
    redo: [],
    advice: 'Ask the tenant administrators to exclude this app from the policy or allow its sign-in.',
  },
  {
    id: 'aadsts-90038',
    symptom: 'AADSTS90038: the tenant is in another national cloud',
    cause: 'The manifest names the wrong cloud.',
    redo: [],
    advice: "Set tenant.cloud in the manifest to the tenant's cloud and generate again.",
  },
  {
    id: 'missing-role',
    symptom: `The token has no ${permissions.imap.name}, ${permissions.pop.name} or ${permissions.smtp.name} role`,
    cause:
      'The permission was not added, or admin consent was not granted. The token request still succeeds without consent.',
    redo: ['add-permissions', 'grant-consent'],
  },
  {
    id: 'extra-role',
    symptom: `The token carries roles this environment does not need (for example ${fullAccessAsApp.name})`,
    cause: 'More permissions than needed were added; least privilege says remove them.',
    redo: ['add-permissions'],
  },
  {
    id: 'auth-failed',
    symptom:
      'IMAP NO AUTHENTICATE failed / POP -ERR Authentication failure / SMTP 535 5.7.3 Authentication unsuccessful',
    cause:
      "The token lacks the role, the service principal is not registered in Exchange, it was registered with the App registration's Object ID instead of the Enterprise application's, or the app has no access to that mailbox.",
    redo: ['grant-consent', 'register-service-principal', 'grant-mailbox-access', 'assign-smtp-rbac'],
    advice:
      "A service principal registered with the App registration's Object ID is stale: remove it as the step Register the service principal says (or run the script with -RemoveStaleServicePrincipal), then register again.",
  },
  {
    id: 'imap-not-connected',
    symptom: 'IMAP BAD User is authenticated but not connected',
    cause: 'The token is accepted but the app has no FullAccess permission on that mailbox.',
    redo: ['grant-mailbox-access'],
    protocols: ['imap'],
  },
  {
    id: 'smtp-auth-disabled',
    symptom: 'SMTP 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled',
    cause:
      'SMTP AUTH is turned off for the mailbox or the tenant, or security defaults are on in Microsoft Entra ID: security defaults turn SMTP AUTH off for the whole organization, and the mailbox setting does not turn it back on.',
    redo: ['enable-smtp-auth'],
    advice:
      'If security defaults are on, SMTP AUTH works only once they are turned off in Microsoft Entra ID, with Conditional Access policies protecting sign-ins in their place.',
    protocols: ['smtp'],
  },
  {
    id: 'smtp-send-as-denied',
    symptom: 'SMTP 554 5.2.252 SendAsDenied or 550 5.7.60 when sending',
    cause: 'The From address differs from the mailbox and the app has no SendAs permission on it.',
    redo: ['grant-mailbox-access'],
    protocols: ['smtp'],
  },
  {
    id: 'network',
    symptom: 'Cannot resolve or reach the server, TLS error, or a timeout',
    cause: 'A proxy or firewall blocks the connection, or the host name is wrong.',
    redo: [],
    advice: 'Check that this machine can reach the host and port named in the error (DNS, firewall, proxy).',
  },
  {
    id: 'network-proxy',
    symptom: 'verify says the HTTP proxy refused the connection or the tunnel (HTTP 407 and others), or is unreachable',
    cause:
      'The HTTP proxy refused the connection or the tunnel, or is not running at that address; HTTP 407 means it wants a sign-in.',
    redo: [],
    advice:
      "Check the proxy named in the error (verify --proxy, else the HTTPS_PROXY variable, $env:HTTPS_PROXY in PowerShell): it must run at that host and port and allow CONNECT to the token host on port 443 and to the mail servers' ports under Values for this environment. For a proxy that wants a sign-in, verify can send only a user name and password written in the proxy's address (user:password@ before the host). Hosts that need no proxy go in NO_PROXY.",
  },
  {
    id: 'network-untrusted-certificate',
    symptom: 'verify says the certificate is not trusted, and names its issuer',
    cause:
      "The server's certificate is not issued by an authority Node.js trusts (verify runs on Node.js, which by default uses its own list of authorities, not the Windows certificate store): most often a corporate proxy inspects TLS and signs with its own root, or a test server uses its own certificate.",
    redo: [],
    advice:
      "If the issuer is your organization's TLS inspection, export its root certificate as Base-64 (PEM) and run again with NODE_EXTRA_CA_CERTS naming that file: in PowerShell $env:NODE_EXTRA_CA_CERTS='C:\\certs\\root.pem', in bash NODE_EXTRA_CA_CERTS=root.pem mail-oauth-runbook verify … (never turn certificate checks off).",
  },
]);

export type DiagnosisId = (typeof list)[number]['id'];
export const diagnoses: readonly (Diagnosis & { id: DiagnosisId })[] = list;

export const diagnosisById = (id: DiagnosisId): Diagnosis => {
  const d = diagnoses.find((x) => x.id === id);
  if (!d) throw new Error(`unknown diagnosis ${id}`);
  return d;
};
