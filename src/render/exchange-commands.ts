import { psLiteral } from './escape-powershell.ts';
import { smtpRbacRole } from '../plan/permissions.ts';

// Every Exchange Online command that both the runbook (to run by hand) and exchange-setup.ps1 use, defined once, so
// that the two cannot drift apart. Templates write {{exo 'add-mailbox-permission' mailbox=(ps address) principal=…}}:
// each parameter is a PowerShell expression — a literal made by the ps/psOr helpers, or a variable of the script
// such as "$mailbox". The role name (the same in every tenant) comes from plan/permissions.ts, like every permission name.

const smtpRole = psLiteral(smtpRbacRole);

const commands = {
  'find-service-principal': {
    params: ['appId'],
    text: (p) => `Get-ServicePrincipal | Where-Object AppId -eq ${p.appId}`,
  },
  'new-service-principal': {
    params: ['appId', 'objectId', 'displayName'],
    text: (p) => `New-ServicePrincipal -AppId ${p.appId} -ObjectId ${p.objectId} -DisplayName ${p.displayName}`,
  },
  'remove-service-principal': {
    params: ['objectId'],
    text: (p) => `Remove-ServicePrincipal -Identity ${p.objectId} -Confirm:$false`,
  },
  'add-mailbox-permission': {
    params: ['mailbox', 'principal'],
    text: (p) => `Add-MailboxPermission -Identity ${p.mailbox} -User ${p.principal} -AccessRights FullAccess`,
  },
  // The checks ask Exchange for the principal's own entries (-User / -Trustee filter on the server): what the User and
  // Trustee columns show for a service principal is not documented, so the scripts never compare them.
  'get-mailbox-permission': {
    params: ['mailbox', 'principal'],
    text: (p) => `Get-MailboxPermission -Identity ${p.mailbox} -User ${p.principal}`,
  },
  'get-recipient-permission': {
    params: ['address', 'principal'],
    text: (p) => `Get-RecipientPermission -Identity ${p.address} -Trustee ${p.principal}`,
  },
  'add-recipient-permission': {
    params: ['address', 'principal'],
    text: (p) =>
      `Add-RecipientPermission -Identity ${p.address} -Trustee ${p.principal} -AccessRights SendAs -Confirm:$false`,
  },
  'enable-smtp-auth': {
    params: ['mailbox'],
    text: (p) => `Set-CASMailbox -Identity ${p.mailbox} -SmtpClientAuthenticationDisabled $false`,
  },
  // Get-DistributionGroup, not Get-Group: its reference lists an e-mail address among the identities it takes.
  'group-dn': { params: ['group'], text: (p) => `(Get-DistributionGroup -Identity ${p.group}).DistinguishedName` },
  // SMTP-RBAC: the scope's filter names the group by its DN; a quote inside the DN is doubled for the filter's own quotes.
  'scope-filter': { params: ['dn'], text: (p) => `"MemberOfGroup -eq '{0}'" -f (${p.dn} -replace "'", "''")` },
  'add-group-member': {
    params: ['group', 'mailbox'],
    // Without -BypassSecurityGroupManagerCheck an admin who is not one of the group's owners is refused.
    text: (p) =>
      `Add-DistributionGroupMember -Identity ${p.group} -Member ${p.mailbox} -BypassSecurityGroupManagerCheck`,
  },
  'new-management-scope': {
    params: ['name', 'filter'],
    text: (p) => `New-ManagementScope -Name ${p.name} -RecipientRestrictionFilter ${p.filter}`,
  },
  'set-management-scope': {
    params: ['name', 'filter'],
    text: (p) => `Set-ManagementScope -Identity ${p.name} -RecipientRestrictionFilter ${p.filter}`,
  },
  'new-role-assignment': {
    params: ['name', 'principal', 'scope'],
    text: (p) =>
      `New-ManagementRoleAssignment -Name ${p.name} -Role ${smtpRole} -App ${p.principal} -CustomResourceScope ${p.scope}`,
  },
  'set-role-assignment': {
    params: ['name', 'scope'],
    text: (p) => `Set-ManagementRoleAssignment -Identity ${p.name} -CustomResourceScope ${p.scope}`,
  },
  'remove-role-assignment': {
    params: ['name'],
    text: (p) => `Remove-ManagementRoleAssignment -Identity ${p.name} -Confirm:$false`,
  },
  // Removal (state: absent, exchange-teardown.ps1): the Remove- cmdlets ask for confirmation, hence -Confirm:$false.
  'remove-mailbox-permission': {
    params: ['mailbox', 'principal'],
    text: (p) =>
      `Remove-MailboxPermission -Identity ${p.mailbox} -User ${p.principal} -AccessRights FullAccess -Confirm:$false`,
  },
  'remove-recipient-permission': {
    params: ['address', 'principal'],
    text: (p) =>
      `Remove-RecipientPermission -Identity ${p.address} -Trustee ${p.principal} -AccessRights SendAs -Confirm:$false`,
  },
  'remove-management-scope': {
    params: ['name'],
    text: (p) => `Remove-ManagementScope -Identity ${p.name} -Confirm:$false`,
  },
  'reset-smtp-auth': {
    params: ['mailbox'],
    text: (p) => `Set-CASMailbox -Identity ${p.mailbox} -SmtpClientAuthenticationDisabled $null`,
  },
} satisfies Record<string, { params: string[]; text: (p: Record<string, string>) => string }>;

export type ExchangeCommand = keyof typeof commands;
export const exchangeCommandNames = Object.keys(commands) as ExchangeCommand[];

/** The command line; every parameter it takes must be given (as a PowerShell expression), and nothing else. */
export function exchangeCommand(name: string, params: Record<string, unknown>): string {
  const command = (commands as Record<string, { params: string[]; text: (p: Record<string, string>) => string }>)[name];
  if (!command) throw new Error(`unknown Exchange command "${name}"; known: ${exchangeCommandNames.join(', ')}`);
  const given = Object.keys(params);
  const missing = command.params.filter((p) => typeof params[p] !== 'string');
  const extra = given.filter((p) => !command.params.includes(p));
  if (missing.length || extra.length) {
    throw new Error(
      `exo "${name}" takes ${command.params.join(', ')}${missing.length ? `; missing or not text: ${missing.join(', ')}` : ''}${extra.length ? `; unknown: ${extra.join(', ')}` : ''}`,
    );
  }
  return command.text(params as Record<string, string>);
}
