// The simulated Microsoft Graph's tenant, as test/pwsh/Microsoft.Graph.Authentication reads it: Graph objects in
// Graph's own camelCase shapes, the scenario knobs, and builders for seeds (an app registration, its enterprise
// application, consents, secrets, app management policies). Used through graph-sim.ts.

// ---------------------------------------------------------------- well-known ids (facts file, section 8)

export const exchangeAppId = '00000002-0000-0ff1-ce00-000000000000';
export const graphAppId = '00000003-0000-0000-c000-000000000000';
/** Office 365 Exchange Online's application roles in the global cloud; national clouds may differ (unconfirmed). */
export const exchangeRoleIds = {
  'IMAP.AccessAsApp': '5e5addcd-3e8d-4e90-baf5-964efab2b20a',
  'POP.AccessAsApp': 'cb842b43-da6e-4506-86fe-bb12199c656d',
  'SMTP.SendAsApp': '7146a1f0-8703-45b3-9eae-527a64c00995',
  full_access_as_app: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40',
} as const;
export type ExchangeRole = keyof typeof exchangeRoleIds;
/** Microsoft Graph's delegated User.Read, which the portal adds to every new registration. */
export const userReadScopeId = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d';
/** Microsoft Graph's Mail.Send application role (assigning it needs a privileged role). */
export const graphMailSendRoleId = 'b633e1c5-b582-4048-a93e-9f11b44c7e96';
/** Object ids of the two seeded resource service principals. */
export const exchangeSpId = '0e0e0e0e-0000-4000-8000-000000000001';
export const graphSpId = '0e0e0e0e-0000-4000-8000-000000000002';

// ---------------------------------------------------------------- Graph objects, as Graph returns them

export interface ResourceAccess {
  id: string;
  type: 'Role' | 'Scope';
}
export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: ResourceAccess[];
}
export interface PasswordCredential {
  keyId: string;
  displayName: string | null;
  hint: string;
  startDateTime: string;
  endDateTime: string;
  customKeyIdentifier?: null;
  /** Always null once created: Graph returns the value only in the addPassword answer. */
  secretText?: null;
}
export interface GraphApplication {
  id: string;
  appId: string;
  displayName: string;
  signInAudience: string;
  createdDateTime: string;
  requiredResourceAccess: RequiredResourceAccess[];
  passwordCredentials: PasswordCredential[];
  web: { redirectUris: string[]; homePageUrl?: string | null; logoutUrl?: string | null };
  [more: string]: unknown;
}
export interface AppRole {
  id: string;
  value: string;
  displayName: string;
  allowedMemberTypes: string[];
  isEnabled: boolean;
}
export interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  accountEnabled: boolean;
  appRoles: AppRole[];
  oauth2PermissionScopes?: { id: string; value: string; type: string; isEnabled: boolean }[];
  [more: string]: unknown;
}
export interface GraphAppRoleAssignment {
  id: string;
  principalId: string;
  resourceId: string;
  appRoleId: string;
  principalDisplayName?: string;
  principalType?: string;
  resourceDisplayName?: string;
  creationTimestamp?: string;
}
export interface PasswordRestriction {
  restrictionType: 'passwordLifetime' | 'passwordAddition';
  maxLifetime?: string;
  state?: 'enabled' | 'disabled';
  restrictForAppsCreatedAfterDateTime?: string | null;
}
export interface AppManagementPolicy {
  isEnabled: boolean;
  applicationRestrictions: { passwordCredentials: PasswordRestriction[] };
}
export interface GraphFault {
  /**
   * The Nth write request to this tenant fails (counted over every run on the same state); default 500
   * generalException. A 429/503/504 stands for an outage that outlasted the SDK's own retries.
   */
  write: number;
  status?: number;
  code?: string;
  message?: string;
}
export type GraphEnvironment = 'Global' | 'USGov' | 'USGovDoD' | 'China';

export interface GraphTenantState {
  tenantId: string;
  tenantDisplayName: string;
  domains: string[];
  environment: GraphEnvironment;
  account: string;
  /** Directory roles of the signed-in account (e.g. 'Cloud Application Administrator'). */
  roles: string[];
  /** Scopes the token carries; null: exactly those Connect-MgGraph asked for. */
  grantedScopes: string[] | null;
  /** The tenant the sign-in lands in whatever -TenantId says; null: the tenant itself. */
  signedInTenantId: string | null;
  /** Connect-MgGraph fails with this message. */
  signInError: string | null;
  applications: GraphApplication[];
  servicePrincipals: GraphServicePrincipal[];
  appRoleAssignments: GraphAppRoleAssignment[];
  appManagementPolicy: AppManagementPolicy | null;
  securityDefaultsEnabled: boolean;
  pageSize: number;
  faults: GraphFault[];
  writeCount: number;
  idCounter: number;
  /** The service's clock (ISO 8601); null: the real one. */
  now: string | null;
}

export interface GraphTenantSeed extends Partial<GraphTenantState> {
  /** Other ids for Exchange Online's roles, as in a national cloud (resolve them by value, never by id). */
  exchangeRoleIds?: Partial<Record<ExchangeRole, string>>;
}

export const defaultTenantId = '72f988bf-0000-4000-8000-00000000c0de';

function role(id: string, value: string): AppRole {
  return { id, value, displayName: value, allowedMemberTypes: ['Application'], isEnabled: true };
}

/** Office 365 Exchange Online's service principal with its application roles by value. */
export function exchangeServicePrincipal(ids: Partial<Record<ExchangeRole, string>> = {}): GraphServicePrincipal {
  const all = { ...exchangeRoleIds, ...ids };
  return {
    id: exchangeSpId,
    appId: exchangeAppId,
    displayName: 'Office 365 Exchange Online',
    accountEnabled: true,
    appRoles: (Object.keys(all) as ExchangeRole[]).map((v) => role(all[v], v)),
    oauth2PermissionScopes: [],
  };
}

/** Microsoft Graph's service principal: User.Read as a delegated scope, Mail.Send as an application role. */
export function graphServicePrincipal(): GraphServicePrincipal {
  return {
    id: graphSpId,
    appId: graphAppId,
    displayName: 'Microsoft Graph',
    accountEnabled: true,
    appRoles: [role(graphMailSendRoleId, 'Mail.Send')],
    oauth2PermissionScopes: [{ id: userReadScopeId, value: 'User.Read', type: 'User', isEnabled: true }],
  };
}

/** A whole tenant: the seed's keys over the defaults, with Exchange Online's and Microsoft Graph's service principals. */
export function graphTenantState(seed: GraphTenantSeed = {}): GraphTenantState {
  const { exchangeRoleIds: ids, ...rest } = seed;
  // The resource service principals are there unless the seed gives its own (e.g. Exchange Online without roles).
  const seeded = seed.servicePrincipals ?? [];
  const resources = [exchangeServicePrincipal(ids), graphServicePrincipal()].filter(
    (r) => !seeded.some((sp) => sp.appId === r.appId),
  );
  return {
    tenantId: defaultTenantId,
    tenantDisplayName: 'Contoso',
    domains: ['contoso.onmicrosoft.com', 'contoso.com'],
    environment: 'Global',
    account: 'admin@contoso.com',
    roles: ['Cloud Application Administrator'],
    grantedScopes: null,
    signedInTenantId: null,
    signInError: null,
    applications: [],
    appRoleAssignments: [],
    appManagementPolicy: null,
    securityDefaultsEnabled: false,
    pageSize: 100,
    faults: [],
    writeCount: 0,
    idCounter: 0,
    now: null,
    ...rest,
    servicePrincipals: [...resources, ...seeded],
  };
}

let seedIds = 0;
/** A deterministic id for seeded objects (distinct from the simulation's own 5e500000-… ids). */
export function seedId(): string {
  return `5eed0000-0000-4000-8000-${(++seedIds).toString(16).padStart(12, '0')}`;
}

/**
 * An app registration as Graph stores it; `exchange` lists the Exchange Online roles it asks for, `userRead` adds
 * Microsoft Graph's delegated User.Read as the portal does for every new registration.
 */
export function application(
  displayName: string,
  opts: Partial<GraphApplication> & { exchange?: ExchangeRole[]; userRead?: boolean } = {},
): GraphApplication {
  const { exchange, userRead, ...fields } = opts;
  const access: RequiredResourceAccess[] = [];
  if (userRead) access.push({ resourceAppId: graphAppId, resourceAccess: [{ id: userReadScopeId, type: 'Scope' }] });
  if (exchange?.length)
    access.push({
      resourceAppId: exchangeAppId,
      resourceAccess: exchange.map((r) => ({ id: exchangeRoleIds[r], type: 'Role' })),
    });
  return {
    id: seedId(),
    appId: seedId(),
    displayName,
    signInAudience: 'AzureADMyOrg',
    createdDateTime: '2026-01-05T09:00:00Z',
    requiredResourceAccess: access,
    passwordCredentials: [],
    keyCredentials: [],
    web: { redirectUris: [], homePageUrl: null, logoutUrl: null },
    identifierUris: [],
    tags: [],
    ...fields,
  };
}

/** As the portal registers an app: Microsoft Graph User.Read (delegated) already requested, plus any `exchange` roles. */
export function portalApplication(
  displayName: string,
  opts: Partial<GraphApplication> & { exchange?: ExchangeRole[] } = {},
): GraphApplication {
  return application(displayName, { ...opts, userRead: true });
}

/** The enterprise application (service principal) of an app registration. */
export function servicePrincipalOf(app: GraphApplication): GraphServicePrincipal {
  return { id: seedId(), appId: app.appId, displayName: app.displayName, accountEnabled: true, appRoles: [] };
}

/** An app role assignment (admin consent) of an Exchange Online role to a service principal. */
export function exchangeConsent(
  sp: GraphServicePrincipal,
  value: ExchangeRole,
  roleId = exchangeRoleIds[value],
): GraphAppRoleAssignment {
  return {
    id: `Seed${seedId().replace(/-/g, '')}`.padEnd(43, 'A').slice(0, 43),
    principalId: sp.id,
    resourceId: exchangeSpId,
    appRoleId: roleId,
    principalDisplayName: sp.displayName,
    principalType: 'ServicePrincipal',
    resourceDisplayName: 'Office 365 Exchange Online',
    creationTimestamp: '2026-01-05T09:05:00Z',
  };
}

/** A secret already on an app (its value was shown once, long ago). */
export function passwordCredential(endDateTime: string, opts: Partial<PasswordCredential> = {}): PasswordCredential {
  return {
    keyId: seedId(),
    displayName: 'seeded secret',
    hint: 'Sd~',
    startDateTime: '2026-01-05T09:10:00Z',
    endDateTime,
    customKeyIdentifier: null,
    secretText: null,
    ...opts,
  };
}

/** Tenant app management policy: secrets live at most `maxLifetime` (ISO 8601 duration, e.g. P180D). */
export function secretLifetimePolicy(maxLifetime: string): AppManagementPolicy {
  return {
    isEnabled: true,
    applicationRestrictions: {
      passwordCredentials: [
        {
          restrictionType: 'passwordLifetime',
          maxLifetime,
          state: 'enabled',
          restrictForAppsCreatedAfterDateTime: null,
        },
      ],
    },
  };
}

/** Tenant app management policy: no new secrets at all. */
export function secretsBlockedPolicy(): AppManagementPolicy {
  return {
    isEnabled: true,
    applicationRestrictions: {
      passwordCredentials: [
        { restrictionType: 'passwordAddition', state: 'enabled', restrictForAppsCreatedAfterDateTime: null },
      ],
    },
  };
}

/** The least an entra-setup.ps1 needs, as the facts file lists them. */
export const setupScopes = ['Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'Policy.Read.All'];
