import type { Cloud, Protocol } from '../manifest/types.ts';

/** Per-cloud endpoints (facts §3). One table, read by the plan; nothing else names a host. */
export interface CloudEndpoints {
  id: Cloud;
  label: string;
  authorityHost: string; // https://host, no trailing slash
  scope: string;
  resource: string;
  imapHost: string;
  popHost: string;
  smtpHost: string;
  portal: string;
  /** Connect-ExchangeOnline -ExchangeEnvironmentName; null for the worldwide default. */
  exchangeEnvironmentName: string | null;
  /** What our sources do not confirm for this cloud, to be said in the documents of environments using these protocols. */
  caveat: { text: string; protocols: Protocol[] } | null;
}

export const mailPorts = { imap: 993, pop: 995, smtp: 587 } as const;

export const clouds: Record<Cloud, CloudEndpoints> = {
  global: {
    id: 'global', label: 'Microsoft global cloud (worldwide, including GCC)',
    authorityHost: 'https://login.microsoftonline.com', resource: 'https://outlook.office365.com', scope: 'https://outlook.office365.com/.default',
    imapHost: 'outlook.office365.com', popHost: 'outlook.office365.com', smtpHost: 'smtp.office365.com',
    portal: 'https://portal.azure.com', exchangeEnvironmentName: null, caveat: null,
  },
  usgov: {
    id: 'usgov', label: 'Microsoft 365 GCC High (US Government)',
    authorityHost: 'https://login.microsoftonline.us', resource: 'https://outlook.office365.us', scope: 'https://outlook.office365.us/.default',
    imapHost: 'outlook.office365.us', popHost: 'outlook.office365.us', smtpHost: 'outlook.office365.us',
    portal: 'https://portal.azure.us', exchangeEnvironmentName: 'O365USGovGCCHigh',
    caveat: { protocols: ['smtp'], text: 'The SMTP host outlook.office365.us is the one Microsoft lists for GCC High; smtp.office365.us is also seen in use. If SMTP cannot connect, try that host.' },
  },
  'usgov-dod': {
    id: 'usgov-dod', label: 'Microsoft 365 DoD (US Government)',
    authorityHost: 'https://login.microsoftonline.us', resource: 'https://outlook-dod.office365.us', scope: 'https://outlook-dod.office365.us/.default',
    imapHost: 'outlook-dod.office365.us', popHost: 'outlook-dod.office365.us', smtpHost: 'outlook-dod.office365.us',
    portal: 'https://portal.azure.us', exchangeEnvironmentName: 'O365USGovDoD', caveat: null,
  },
  china: {
    id: 'china', label: 'Microsoft 365 operated by 21Vianet (China)',
    authorityHost: 'https://login.partner.microsoftonline.cn', resource: 'https://partner.outlook.cn', scope: 'https://partner.outlook.cn/.default',
    imapHost: 'partner.outlook.cn', popHost: 'partner.outlook.cn', smtpHost: 'smtp.partner.outlook.cn',
    portal: 'https://portal.azure.cn', exchangeEnvironmentName: 'O365China',
    caveat: { protocols: ['imap', 'pop', 'smtp'], text: 'The mail server names for 21Vianet (partner.outlook.cn, smtp.partner.outlook.cn) are not confirmed by a Microsoft page; check them with your 21Vianet administrator.' },
  },
};
