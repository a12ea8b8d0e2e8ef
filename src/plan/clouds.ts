import type { Cloud, Protocol } from '../manifest/types.ts';

/** A web console where the app is registered, with the names its menus use. */
export interface Portal {
  name: string;
  url: string;
  /** The menu that holds App registrations and Enterprise applications. */
  entraId: string;
  enterpriseApps: string;
}

/**
 * Per-cloud endpoints. One table, read by the plan; nothing else names a host. Sources (see docs/sources.md):
 * authority hosts and Azure portals from Microsoft's "National clouds" page; the worldwide scope and mail servers from
 * "Authenticate an IMAP, POP or SMTP connection using OAuth". Microsoft documents no IMAP/POP/SMTP client-credentials
 * scope or mail host for usgov, usgov-dod or china: those values are consistent third-party evidence, so
 * `valuesConfirmed` is false and every document marks them unconfirmed.
 */
export interface CloudEndpoints {
  id: Cloud;
  label: string;
  authorityHost: string; // https://host, no trailing slash
  scope: string;
  resource: string;
  /** The mail server's host name for each protocol (ports and security are in the protocol table). */
  hosts: Record<Protocol, string>;
  /** The Azure portal of this cloud. */
  portal: string;
  /** Where to register the app: `main` first; `alternative` is another console that has the same pages. */
  portals: { main: Portal; alternative: Portal | null };
  /** Connect-ExchangeOnline -ExchangeEnvironmentName; null for the worldwide default. */
  exchangeEnvironmentName: string | null;
  /** Whether a Microsoft page confirms the scope and the mail hosts of this cloud. */
  valuesConfirmed: boolean;
  /** What our sources do not confirm for this cloud, said once in each document that shows one of its values. */
  caveat: string | null;
  /** Said as well when the environment uses SMTP. */
  smtpCaveat: string | null;
  /** Whether Microsoft documents RBAC for Applications (the SMTP rbac mode) in this cloud. */
  rbacForApplications: boolean;
}

/** Microsoft's current instructions start here (Microsoft Learn, "Register an application in Microsoft Entra ID"). */
const entraAdminCenter: Portal = {
  name: 'Microsoft Entra admin center',
  url: 'https://entra.microsoft.com',
  entraId: 'Entra ID',
  enterpriseApps: 'Enterprise apps',
};
const azurePortal = (url: string): Portal => ({
  name: 'Azure portal',
  url,
  entraId: 'Microsoft Entra ID',
  enterpriseApps: 'Enterprise applications',
});

const unconfirmed = (cloud: string, evidence: string) =>
  `Microsoft documents the OAuth scope and the IMAP, POP and SMTP servers of this setup for the worldwide cloud only. The values marked unconfirmed are the ${cloud} equivalents ${evidence}; no Microsoft page confirms them for IMAP, POP or SMTP with client credentials. If the token request or a login fails, check them with your Microsoft support contact.`;

export const clouds: Record<Cloud, CloudEndpoints> = {
  global: {
    id: 'global',
    label: 'Microsoft global cloud (worldwide, including GCC)',
    authorityHost: 'https://login.microsoftonline.com',
    resource: 'https://outlook.office365.com',
    scope: 'https://outlook.office365.com/.default',
    hosts: { imap: 'outlook.office365.com', pop: 'outlook.office365.com', smtp: 'smtp.office365.com' },
    portal: 'https://portal.azure.com',
    portals: { main: entraAdminCenter, alternative: azurePortal('https://portal.azure.com') },
    exchangeEnvironmentName: null,
    valuesConfirmed: true,
    caveat: null,
    smtpCaveat: null,
    rbacForApplications: true,
  },
  usgov: {
    id: 'usgov',
    label: 'Microsoft 365 GCC High (US Government)',
    authorityHost: 'https://login.microsoftonline.us',
    resource: 'https://outlook.office365.us',
    scope: 'https://outlook.office365.us/.default',
    hosts: { imap: 'outlook.office365.us', pop: 'outlook.office365.us', smtp: 'outlook.office365.us' },
    portal: 'https://portal.azure.us',
    portals: { main: azurePortal('https://portal.azure.us'), alternative: null },
    exchangeEnvironmentName: 'O365USGovGCCHigh',
    valuesConfirmed: false,
    caveat: unconfirmed('GCC High', "found in Microsoft's GCC High endpoint lists and in working setups"),
    smtpCaveat:
      'For SMTP, smtp.office365.us is also seen in use: if outlook.office365.us cannot be reached, try that host.',
    rbacForApplications: true,
  },
  'usgov-dod': {
    id: 'usgov-dod',
    label: 'Microsoft 365 DoD (US Government)',
    authorityHost: 'https://login.microsoftonline.us',
    resource: 'https://outlook-dod.office365.us',
    scope: 'https://outlook-dod.office365.us/.default',
    hosts: { imap: 'outlook-dod.office365.us', pop: 'outlook-dod.office365.us', smtp: 'outlook-dod.office365.us' },
    portal: 'https://portal.azure.us',
    portals: { main: azurePortal('https://portal.azure.us'), alternative: null },
    exchangeEnvironmentName: 'O365USGovDoD',
    valuesConfirmed: false,
    caveat: unconfirmed('DoD', "found in Microsoft's DoD endpoint lists and in working setups"),
    smtpCaveat: null,
    rbacForApplications: true,
  },
  china: {
    id: 'china',
    label: 'Microsoft 365 operated by 21Vianet (China)',
    authorityHost: 'https://login.partner.microsoftonline.cn',
    resource: 'https://partner.outlook.cn',
    scope: 'https://partner.outlook.cn/.default',
    hosts: { imap: 'partner.outlook.cn', pop: 'partner.outlook.cn', smtp: 'smtp.partner.outlook.cn' },
    portal: 'https://portal.azure.cn',
    portals: { main: azurePortal('https://portal.azure.cn'), alternative: null },
    exchangeEnvironmentName: 'O365China',
    valuesConfirmed: false,
    caveat: unconfirmed('21Vianet', 'seen in working setups'),
    smtpCaveat: null,
    rbacForApplications: false,
  },
};
