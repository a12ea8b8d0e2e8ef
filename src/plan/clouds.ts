import type { Cloud, Protocol } from '../manifest/types.ts';
import type { Catalogue, CloudText, PortalId, PortalText } from '../text/catalogue.ts';

/** A web console where the app is registered: which one (its names are in the catalogue), and its address. */
export interface PortalFacts {
  id: PortalId;
  url: string;
}

/** A portal as documents show it, with the names its menus use in the document language. */
export type Portal = PortalText & { url: string };

/**
 * Per-cloud endpoints, as documents show them. One table, read by the plan; nothing else names a host. Sources (see
 * docs/sources.md): authority hosts and Azure portals from Microsoft's "National clouds" page; the worldwide scope and
 * mail servers from "Authenticate an IMAP, POP or SMTP connection using OAuth". Microsoft documents no IMAP/POP/SMTP
 * client-credentials scope or mail host for usgov, usgov-dod or china: those values are consistent third-party
 * evidence, so `valuesConfirmed` is false and every document marks them unconfirmed.
 */
export interface CloudEndpoints extends CloudText {
  id: Cloud;
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
  /** Whether Microsoft documents RBAC for Applications (the SMTP rbac mode) in this cloud. */
  rbacForApplications: boolean;
}

/** The table's rows: the endpoints without their text (label, caveats, portal names: in the catalogue). */
type CloudFacts = Omit<CloudEndpoints, keyof CloudText | 'portals'> & {
  portals: { main: PortalFacts; alternative: PortalFacts | null };
};

/** Microsoft's current instructions start here (Microsoft Learn, "Register an application in Microsoft Entra ID"). */
const entraAdminCenter: PortalFacts = { id: 'entra-admin-center', url: 'https://entra.microsoft.com' };
const azurePortal = (url: string): PortalFacts => ({ id: 'azure-portal', url });

export const clouds: Record<Cloud, CloudFacts> = {
  global: {
    id: 'global',
    authorityHost: 'https://login.microsoftonline.com',
    resource: 'https://outlook.office365.com',
    scope: 'https://outlook.office365.com/.default',
    hosts: { imap: 'outlook.office365.com', pop: 'outlook.office365.com', smtp: 'smtp.office365.com' },
    portal: 'https://portal.azure.com',
    portals: { main: entraAdminCenter, alternative: azurePortal('https://portal.azure.com') },
    exchangeEnvironmentName: null,
    valuesConfirmed: true,
    rbacForApplications: true,
  },
  usgov: {
    id: 'usgov',
    authorityHost: 'https://login.microsoftonline.us',
    resource: 'https://outlook.office365.us',
    scope: 'https://outlook.office365.us/.default',
    hosts: { imap: 'outlook.office365.us', pop: 'outlook.office365.us', smtp: 'outlook.office365.us' },
    portal: 'https://portal.azure.us',
    portals: { main: azurePortal('https://portal.azure.us'), alternative: null },
    exchangeEnvironmentName: 'O365USGovGCCHigh',
    valuesConfirmed: false,
    rbacForApplications: true,
  },
  'usgov-dod': {
    id: 'usgov-dod',
    authorityHost: 'https://login.microsoftonline.us',
    resource: 'https://outlook-dod.office365.us',
    scope: 'https://outlook-dod.office365.us/.default',
    hosts: { imap: 'outlook-dod.office365.us', pop: 'outlook-dod.office365.us', smtp: 'outlook-dod.office365.us' },
    portal: 'https://portal.azure.us',
    portals: { main: azurePortal('https://portal.azure.us'), alternative: null },
    exchangeEnvironmentName: 'O365USGovDoD',
    valuesConfirmed: false,
    rbacForApplications: true,
  },
  china: {
    id: 'china',
    authorityHost: 'https://login.partner.microsoftonline.cn',
    resource: 'https://partner.outlook.cn',
    scope: 'https://partner.outlook.cn/.default',
    hosts: { imap: 'partner.outlook.cn', pop: 'partner.outlook.cn', smtp: 'smtp.partner.outlook.cn' },
    portal: 'https://portal.azure.cn',
    portals: { main: azurePortal('https://portal.azure.cn'), alternative: null },
    exchangeEnvironmentName: 'O365China',
    valuesConfirmed: false,
    rbacForApplications: false,
  },
};

/** A cloud as documents show it: its facts, with its label, caveats and portal names in the catalogue's language. */
export function cloudIn(id: Cloud, text: Catalogue): CloudEndpoints {
  const facts = clouds[id];
  const portal = (p: PortalFacts): Portal => ({ ...text.portals[p.id], url: p.url });
  const { main, alternative } = facts.portals;
  return {
    ...facts,
    ...text.clouds[id],
    portals: { main: portal(main), alternative: alternative && portal(alternative) },
  };
}
