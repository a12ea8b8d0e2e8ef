import type { Protocol } from '../manifest/types.ts';

/**
 * Office 365 Exchange Online application permissions; role ids are the same in every tenant. Sources
 * (docs/sources.md): "Authenticate an IMAP, POP or SMTP connection using OAuth"; "SMTP Onboarding to App RBAC" for the
 * RBAC role.
 */
export interface Permission {
  protocol: Protocol;
  name: string;
  roleId: string;
}

export const exchangeResourceAppId = '00000002-0000-0ff1-ce00-000000000000';
export const exchangeResourceName = 'Office 365 Exchange Online';

export const permissions: Record<Protocol, Permission> = {
  imap: { protocol: 'imap', name: 'IMAP.AccessAsApp', roleId: '5e5addcd-3e8d-4e90-baf5-964efab2b20a' },
  pop: { protocol: 'pop', name: 'POP.AccessAsApp', roleId: 'cb842b43-da6e-4506-86fe-bb12199c656d' },
  smtp: { protocol: 'smtp', name: 'SMTP.SendAsApp', roleId: '7146a1f0-8703-45b3-9eae-527a64c00995' },
};

/** The EWS permission people add by mistake; it does not grant IMAP, POP or SMTP. */
export const fullAccessAsApp = { name: 'full_access_as_app', roleId: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40' };

export const protocolOrder: readonly Protocol[] = ['imap', 'pop', 'smtp'];

/** The Exchange role that RBAC for Applications assigns for SMTP sending (SMTP.SendAsApp through RBAC). */
export const smtpRbacRole = 'Application SMTP.SendAsApp';
