import { tenant, testClientId, prodClientId } from './world.ts';

// A tenant's directory as Microsoft Graph v1.0 shows it, in the documented object shapes (application,
// servicePrincipal, appRoleAssignment, tenantAppManagementPolicy, identitySecurityDefaultsEnforcementPolicy,
// organization). contosoTenant() is the world of runbooks/contoso-hr.yaml set up right; tests change a copy.

export const exchangeAppId = '00000002-0000-0ff1-ce00-000000000000';
/**
 * Exchange Online's application roles (facts §8: the same in public manifests; resolve by value at run time). Written
 * out here, not read from src/plan: a wrong id in the product must not be mirrored by the tenant it is tested against.
 */
export const exchangeRoles = {
  'IMAP.AccessAsApp': '5e5addcd-3e8d-4e90-baf5-964efab2b20a',
  'POP.AccessAsApp': 'cb842b43-da6e-4506-86fe-bb12199c656d',
  'SMTP.SendAsApp': '7146a1f0-8703-45b3-9eae-527a64c00995',
  full_access_as_app: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40',
} as const;
export type ExchangeRole = keyof typeof exchangeRoles;

export interface PasswordCredential {
  keyId: string;
  displayName: string | null;
  hint: string;
  startDateTime: string;
  endDateTime: string;
  customKeyIdentifier: null;
  secretText: null;
}

export interface GraphApplication {
  id: string;
  appId: string;
  displayName: string;
  signInAudience:
    'AzureADMyOrg' | 'AzureADMultipleOrgs' | 'AzureADandPersonalMicrosoftAccount' | 'PersonalMicrosoftAccount';
  requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: 'Role' | 'Scope' }[] }[];
  passwordCredentials: PasswordCredential[];
  keyCredentials: unknown[];
  web: { redirectUris: string[]; homePageUrl: string | null; logoutUrl: string | null };
}

export interface AppRole {
  id: string;
  value: string;
  displayName: string;
  description: string;
  isEnabled: boolean;
  allowedMemberTypes: string[];
  origin: 'Application';
}

export interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  accountEnabled: boolean;
  servicePrincipalType: 'Application';
  appRoles: AppRole[];
}

export interface GraphAppRoleAssignment {
  id: string;
  principalId: string;
  principalDisplayName: string;
  principalType: 'ServicePrincipal';
  resourceId: string;
  resourceDisplayName: string;
  appRoleId: string;
  createdDateTime: string;
  deletedDateTime: null;
}

export interface CredentialRestriction {
  restrictionType: 'passwordAddition' | 'passwordLifetime' | 'customPasswordAddition' | 'symmetricKeyAddition';
  maxLifetime: string | null;
  restrictForAppsCreatedAfterDateTime: string;
  state?: 'enabled' | 'disabled';
}

export interface GraphTenant {
  tenantId: string;
  organization: {
    id: string;
    displayName: string;
    verifiedDomains: { name: string; isDefault: boolean; isInitial: boolean; type: string }[];
  };
  applications: GraphApplication[];
  servicePrincipals: GraphServicePrincipal[];
  /** On any service principal; listed per principalId. */
  appRoleAssignments: GraphAppRoleAssignment[];
  appManagementPolicy: { isEnabled: boolean; passwordCredentials: CredentialRestriction[] };
  securityDefaults: { isEnabled: boolean };
}

/** A stable, GUID-shaped id from a label, so fixtures and assertions read the same ids. */
export function guid(label: string): string {
  let h = 0x811c9dc5;
  const out: string[] = [];
  for (let i = 0; out.length < 16; i++) {
    h = Math.imul(h ^ label.charCodeAt(i % label.length) ^ i, 0x01000193) >>> 0;
    out.push((h & 0xff).toString(16).padStart(2, '0'));
  }
  const x = out.join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-4${x.slice(13, 16)}-8${x.slice(17, 20)}-${x.slice(20, 32)}`;
}

export function secret(label: string, endDateTime: string, hint = 'Cn4'): PasswordCredential {
  return {
    keyId: guid(`secret:${label}`),
    displayName: label,
    hint,
    startDateTime: '2026-06-01T00:00:00Z',
    endDateTime,
    customKeyIdentifier: null,
    secretText: null,
  };
}

export const exchangeServicePrincipal = (): GraphServicePrincipal => ({
  id: guid('sp:exchange'),
  appId: exchangeAppId,
  displayName: 'Office 365 Exchange Online',
  accountEnabled: true,
  servicePrincipalType: 'Application',
  appRoles: Object.entries(exchangeRoles).map(([value, id]) => ({
    id,
    value,
    displayName: value,
    description: `Allows the app to use ${value}.`,
    isEnabled: true,
    allowedMemberTypes: ['Application'],
    origin: 'Application',
  })),
});

/** An app registration with its service principal and one consented app role assignment per Exchange role. */
export function addApp(
  t: GraphTenant,
  o: { appId: string; objectId?: string; displayName: string; roles: ExchangeRole[]; secrets: PasswordCredential[] },
): { application: GraphApplication; servicePrincipal: GraphServicePrincipal } {
  const application: GraphApplication = {
    id: guid(`app:${o.appId}`),
    appId: o.appId,
    displayName: o.displayName,
    signInAudience: 'AzureADMyOrg',
    requiredResourceAccess: [
      { resourceAppId: exchangeAppId, resourceAccess: o.roles.map((r) => ({ id: exchangeRoles[r], type: 'Role' })) },
    ],
    passwordCredentials: o.secrets,
    keyCredentials: [],
    web: { redirectUris: [], homePageUrl: null, logoutUrl: null },
  };
  const servicePrincipal: GraphServicePrincipal = {
    id: o.objectId ?? guid(`sp:${o.appId}`),
    appId: o.appId,
    displayName: o.displayName,
    accountEnabled: true,
    servicePrincipalType: 'Application',
    appRoles: [],
  };
  const exchange = t.servicePrincipals.find((s) => s.appId === exchangeAppId)!;
  t.applications.push(application);
  t.servicePrincipals.push(servicePrincipal);
  for (const r of o.roles)
    t.appRoleAssignments.push({
      id: guid(`assignment:${o.appId}:${r}`).replace(/-/g, '').slice(0, 43),
      principalId: servicePrincipal.id,
      principalDisplayName: o.displayName,
      principalType: 'ServicePrincipal',
      resourceId: exchange.id,
      resourceDisplayName: exchange.displayName,
      appRoleId: exchangeRoles[r],
      createdDateTime: '2026-06-01T00:00:00Z',
      deletedDateTime: null,
    });
  return { application, servicePrincipal };
}

/**
 * The tenant of runbooks/contoso-hr.yaml set up as its runbook says: object ids and secret end dates as in the
 * manifest, test with IMAP+SMTP, production with IMAP+POP+SMTP, no app management restriction, security defaults off.
 */
export function contosoTenant(): GraphTenant {
  const t: GraphTenant = {
    tenantId: tenant,
    organization: {
      id: tenant,
      displayName: 'Contoso',
      verifiedDomains: [
        { name: 'contoso.com', isDefault: true, isInitial: false, type: 'Managed' },
        { name: 'contoso.onmicrosoft.com', isDefault: false, isInitial: true, type: 'Managed' },
      ],
    },
    applications: [],
    servicePrincipals: [exchangeServicePrincipal()],
    appRoleAssignments: [],
    appManagementPolicy: { isEnabled: false, passwordCredentials: [] },
    securityDefaults: { isEnabled: false },
  };
  addApp(t, {
    appId: testClientId,
    objectId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
    displayName: 'Bizagi HR mail (test)',
    roles: ['IMAP.AccessAsApp', 'SMTP.SendAsApp'],
    secrets: [secret('bizagi-test', '2027-05-31T00:00:00Z')],
  });
  addApp(t, {
    appId: prodClientId,
    objectId: '9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b',
    displayName: 'Bizagi HR mail (production)',
    roles: ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp'],
    secrets: [secret('bizagi-prod', '2027-11-30T00:00:00Z')],
  });
  return t;
}
