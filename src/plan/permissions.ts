import type { Protocol } from '../manifest/types.ts';
import { protocolOrder, protocols } from './protocols.ts';

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

/** The permissions by protocol, read from the protocol table. */
export const permissions = Object.fromEntries(
  protocolOrder.map((p) => [p, { protocol: p, ...protocols[p].role }]),
) as Record<Protocol, Permission>;

/** The EWS permission people add by mistake; it does not grant IMAP, POP or SMTP. */
export const fullAccessAsApp = { name: 'full_access_as_app', roleId: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40' };

export { protocolOrder };

/** The Exchange role that RBAC for Applications assigns for SMTP sending (SMTP.SendAsApp through RBAC). */
export const smtpRbacRole = 'Application SMTP.SendAsApp';
