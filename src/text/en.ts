// English, the default document language. Sources of the facts these sentences state: docs/sources.md (as cited where
// each table is defined: plan/clouds.ts, plan/diagnoses.ts).
import type { Catalogue } from './catalogue.ts';

const unconfirmed = (cloud: string, evidence: string) =>
  `Microsoft documents the OAuth scope and the IMAP, POP and SMTP servers of this setup for the worldwide cloud only. The values marked unconfirmed are the ${cloud} equivalents ${evidence}; no Microsoft page confirms them for IMAP, POP or SMTP with client credentials. If the token request or a login fails, check them with your Microsoft support contact.`;

/** "IMAP", "IMAP or SMTP", "IMAP, POP or SMTP". */
const or = (items: readonly string[]): string =>
  items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;

export const en: Catalogue = {
  tag: 'en',
  steps: {
    titles: {
      'register-app': 'Register the app in Microsoft Entra ID',
      'add-permissions': 'Add the Exchange Online application permissions',
      'grant-consent': 'Grant admin consent',
      'create-secret': 'Create a client secret and copy its Value',
      'record-ids': 'Record the IDs',
      'register-service-principal': 'Register the service principal in Exchange Online',
      'grant-mailbox-access': 'Grant the app access to each mailbox',
      'assign-smtp-rbac': 'Allow SMTP sending through RBAC for Applications',
      'enable-smtp-auth': 'Turn on SMTP AUTH for the SMTP mailboxes',
      'configure-bizagi': 'Configure OAuth e-mail in the Bizagi Management Console',
      verify: 'Verify the setup',
    },
    heading: (number, title) => `Step ${number}: ${title}`,
    label: (number) => `Step ${number}`,
  },
  alerts: { NOTE: 'Note', WARNING: 'Warning', IMPORTANT: 'Important' },
  clouds: {
    global: { label: 'Microsoft global cloud (worldwide, including GCC)', caveat: null, smtpCaveat: null },
    usgov: {
      label: 'Microsoft 365 GCC High (US Government)',
      caveat: unconfirmed('GCC High', "found in Microsoft's GCC High endpoint lists and in working setups"),
      smtpCaveat:
        'For SMTP, smtp.office365.us is also seen in use: if outlook.office365.us cannot be reached, try that host.',
    },
    'usgov-dod': {
      label: 'Microsoft 365 DoD (US Government)',
      caveat: unconfirmed('DoD', "found in Microsoft's DoD endpoint lists and in working setups"),
      smtpCaveat: null,
    },
    china: {
      label: 'Microsoft 365 operated by 21Vianet (China)',
      caveat: unconfirmed('21Vianet', 'seen in working setups'),
      smtpCaveat: null,
    },
  },
  portals: {
    'entra-admin-center': {
      name: 'Microsoft Entra admin center',
      entraId: 'Entra ID',
      enterpriseApps: 'Enterprise apps',
    },
    'azure-portal': { name: 'Azure portal', entraId: 'Microsoft Entra ID', enterpriseApps: 'Enterprise applications' },
  },
  diagnoses: ({ roles, requiredRoles, stepTitle }) => ({
    'no-client-id': {
      symptom: 'The manifest has no client ID',
      cause: 'The app is not registered yet, or its Application (client) ID was not written back into the manifest.',
      advice: null,
    },
    'aadsts-7000215': {
      symptom: 'AADSTS7000215: Invalid client secret provided',
      cause: 'The secret is wrong: most often the Secret ID was copied instead of the secret Value.',
      advice: null,
    },
    'aadsts-7000222': {
      symptom: 'AADSTS7000222: The provided client secret keys are expired',
      cause: 'The client secret has expired.',
      advice: null,
    },
    'aadsts-700016': {
      symptom: 'AADSTS700016: Application not found in the directory',
      cause: 'The client ID is wrong, or the app is registered in another tenant.',
      advice: null,
    },
    'aadsts-90002': {
      symptom: 'AADSTS90002 or AADSTS900023: Tenant not found / invalid tenant',
      cause:
        'The tenant ID in the Access Token URI is wrong: a mistyped or truncated Directory (tenant) ID, or the ID of another tenant.',
      advice: null,
    },
    'aadsts-70011': {
      symptom: 'AADSTS70011 or AADSTS1002012: invalid scope',
      cause: 'The scope is not the Exchange Online resource followed by /.default.',
      advice: null,
    },
    'aadsts-7000112': {
      symptom: 'AADSTS7000112: Application is disabled',
      cause: "The app's enterprise application (its service principal) is disabled for sign-in.",
      advice:
        'Re-enable it: Enterprise applications > the app > Properties > Enabled for users to sign-in: Yes, then Save. Do not register a new app: it would get new IDs, and every step would have to be done again.',
    },
    'aadsts-53003': {
      symptom: 'AADSTS53003: Access has been blocked by Conditional Access policies',
      cause: 'A tenant Conditional Access policy blocks the app.',
      advice: 'Ask the tenant administrators to exclude this app from the policy or allow its sign-in.',
    },
    'aadsts-90038': {
      symptom: 'AADSTS90038: the tenant is in another national cloud',
      cause: 'The manifest names the wrong cloud.',
      advice: "Set tenant.cloud in the manifest to the tenant's cloud and generate again.",
    },
    'missing-role': {
      symptom: `The token has no ${or(requiredRoles)} role`,
      cause:
        'The permission was not added, or admin consent was not granted. The token request still succeeds without consent.',
      advice: null,
    },
    'extra-role': {
      symptom: `The token carries roles this environment does not need (for example ${roles.ews})`,
      cause: 'More permissions than needed were added; least privilege says remove them.',
      advice: null,
    },
    'auth-failed': {
      symptom:
        'IMAP NO AUTHENTICATE failed / POP -ERR Authentication failure / SMTP 535 5.7.3 Authentication unsuccessful',
      cause:
        "The token lacks the role, the service principal is not registered in Exchange, it was registered with the App registration's Object ID instead of the Enterprise application's, or the app has no access to that mailbox.",
      advice: `A service principal registered with the App registration's Object ID is stale: remove it as the step ${stepTitle('register-service-principal')} says (or run the script with -RemoveStaleServicePrincipal), then register again.`,
    },
    'imap-not-connected': {
      symptom: 'IMAP BAD User is authenticated but not connected',
      cause: 'The token is accepted but the app has no FullAccess permission on that mailbox.',
      advice: null,
    },
    'smtp-auth-disabled': {
      symptom: 'SMTP 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled',
      cause:
        'SMTP AUTH is turned off for the mailbox or the tenant, or security defaults are on in Microsoft Entra ID: security defaults turn SMTP AUTH off for the whole organization, and the mailbox setting does not turn it back on.',
      advice:
        'If security defaults are on, SMTP AUTH works only once they are turned off in Microsoft Entra ID, with Conditional Access policies protecting sign-ins in their place.',
    },
    'smtp-send-as-denied': {
      symptom: 'SMTP 554 5.2.252 SendAsDenied or 550 5.7.60 when sending',
      cause: 'The From address differs from the mailbox and the app has no SendAs permission on it.',
      advice: null,
    },
    network: {
      symptom: 'Cannot resolve or reach the server, TLS error, or a timeout',
      cause: 'A proxy or firewall blocks the connection, or the host name is wrong.',
      advice: 'Check that this machine can reach the host and port named in the error (DNS, firewall, proxy).',
    },
    'network-proxy': {
      symptom:
        'verify says the HTTP proxy refused the connection or the tunnel (HTTP 407 and others), or is unreachable',
      cause:
        'The HTTP proxy refused the connection or the tunnel, or is not running at that address; HTTP 407 means it wants a sign-in.',
      advice:
        "Check the proxy named in the error (verify --proxy, else the HTTPS_PROXY variable, $env:HTTPS_PROXY in PowerShell): it must run at that host and port and allow CONNECT to the token host on port 443 and to the mail servers' ports under Values for this environment. For a proxy that wants a sign-in, verify can send only a user name and password written in the proxy's address (user:password@ before the host). Hosts that need no proxy go in NO_PROXY.",
    },
    'network-untrusted-certificate': {
      symptom: 'verify says the certificate is not trusted, and names its issuer',
      cause:
        "The server's certificate is not issued by an authority Node.js trusts (verify runs on Node.js, which by default uses its own list of authorities, not the Windows certificate store): most often a corporate proxy inspects TLS and signs with its own root, or a test server uses its own certificate.",
      advice:
        "If the issuer is your organization's TLS inspection, export its root certificate as Base-64 (PEM) and run again with NODE_EXTRA_CA_CERTS naming that file: in PowerShell $env:NODE_EXTRA_CA_CERTS='C:\\certs\\root.pem', in bash NODE_EXTRA_CA_CERTS=root.pem mail-oauth-runbook verify … (never turn certificate checks off).",
    },
  }),
  flow: {
    nodes: {
      entra: ['Microsoft Entra ID', 'app registration, permissions, secret'],
      exo: ['Exchange Online', 'service principal, mailbox access'],
      bizagi: ['Bizagi', 'OAuth e-mail settings'],
      verify: ['mail-oauth-runbook verify'],
    },
    arrows: (protocols) => ({
      'token-request': {
        label: 'client credentials: token request',
        sentence:
          'Bizagi requests a token from Microsoft Entra ID with the client credentials of the app registration (its client ID and secret Value).',
      },
      token: {
        label: 'access token with roles',
        sentence:
          'Microsoft Entra ID answers with an access token whose roles are the application permissions granted to the app.',
      },
      login: {
        label: `XOAUTH2 login: ${protocols.join(', ')}`,
        sentence: `Bizagi logs in to each mailbox in Exchange Online over ${or(protocols)} with XOAUTH2 and that token; Exchange Online checks the service principal and its mailbox access.`,
      },
      verify: {
        label: 'same token request and logins',
        sentence:
          'mail-oauth-runbook verify makes the same token request and the same logins, to prove the setup before Bizagi depends on it.',
      },
    }),
  },
  handout: {
    title: (project, environment) => `Exchange Online OAuth handout: ${project}, environment ${environment}`,
    intro: {
      beforeSource: 'Generated by mail-oauth-runbook from ',
      afterSource: '. Tick the boxes as you go: this browser keeps them for this version of the handout.',
    },
    beside: {
      before: 'This page holds the runbook, the portal checklist and the field sheet. The steps also name ',
      after:
        ': not part of this page, but files generate wrote beside it in the same folder; whoever sent you this page can send them too.',
    },
    documents: 'Documents',
    runbook: 'Runbook',
    checklist: 'Portal checklist',
    fieldSheet: 'Field sheet',
    reset: 'Reset checklist',
    copy: 'Copy',
    copyCommand: 'Copy command',
    copyValue: 'Copy value',
    script: {
      noStorage: 'This browser does not keep the ticks.',
      resetDone: 'Checklist reset.',
      copied: 'Copied: ',
      copyFailed: 'Copying failed: select the text and copy it.',
    },
  },
  powershell: {
    status: {
      alreadyPresent: 'already present',
      alreadyAbsent: 'already absent',
      alreadySo: 'already so',
      created: 'created',
      changed: 'changed',
      updated: 'updated',
      removed: 'removed',
      wouldBeCreated: 'would be created (WhatIf)',
      wouldBeChanged: 'would be changed (WhatIf)',
      wouldBeUpdated: 'would be updated (WhatIf)',
      wouldBeRemoved: 'would be removed (WhatIf)',
      wouldBeReplaced: 'would be replaced (WhatIf)',
      failed: 'FAILED',
    },
  },
};
