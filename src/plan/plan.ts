import type { Cloud, Hosting, Manifest, Protocol, SmtpAccess } from '../manifest/types.ts';
import { cloudIn, type CloudEndpoints } from './clouds.ts';
import { fullAccessAsApp, permissions, smtpRbacRole, type Permission } from './permissions.ts';
import { resources } from './resources.ts';
import { protocolOrder, protocols as protocolTable, serverFor, type Server } from './protocols.ts';
import { verificationReportFile } from './layout.ts';
import { expiryWarningDays } from './expiry.ts';
import { diagnosesIn } from './diagnoses.ts';
import { rbacNames } from './exchange-names.ts';
import { actors, buildSteps, type Actor, type Step, type StepId } from './steps.ts';
import { catalogueFor, defaultLanguage, type Language } from '../text/languages.ts';

// Every value a document, a script or verify needs, computed once. Unknown values are null, never missing,
// so strict templates can test them.

export interface Plan {
  /** The language of the documents: every text the plan computes (titles, headings, diagnoses, labels) is in it. */
  language: Language;
  source: string; // the manifest's file name, no folders (outputs must not carry absolute paths)
  /** The manifest as commands in the documents name it: its path inside its repository, else its file name. */
  manifest: ManifestLocation;
  /** isPlaceholder: the id is still init's all-zero placeholder, which documents must never show as a value. */
  tenant: { id: string; isPlaceholder: boolean; domain: string | null; displayName: string | null; cloud: Cloud };
  cloud: CloudEndpoints & { resourceAppId: string; resourceName: string };
  bizagi: { company: string; project: string; hosting: Hosting; isCloud: boolean };
  contacts: { itSupport: string | null; exchangeAdmin: string | null };
  environments: EnvironmentPlan[];
  /** validate warns this many days before a secret expires. */
  expiryWarningDays: number;
  /** A deleted app registration stays restorable this long (Microsoft Graph, "Delete application"). */
  deletedAppRestoreDays: number;
  /** Permission and role names the documents mention outside the environment's own list. */
  names: { smtpPermission: string; ewsPermission: string; smtpRbacRole: string };
}

export interface ManifestLocation {
  path: string;
  /** true: path is relative to the top of the manifest's git repository; false: path is the bare file name. */
  inRepository: boolean;
}

export interface EnvironmentPlan {
  name: string;
  /** `state: absent`: the environment is retired, and gets a decommission runbook and teardown script instead. */
  retired: boolean;
  workPortalUrl: string;
  workPortalDerived: boolean;
  /** Derived from the pattern Bizagi documents (test and production); other names follow it by analogy. */
  workPortalPatternDocumented: boolean;
  redirectUri: string;
  authority: string;
  tokenUri: string;
  scope: string;
  app: {
    displayName: string;
    clientId: string | null;
    objectId: string | null;
    secretEnv: string | null;
    secretExpires: string | null;
    secretDescription: string;
  };
  protocols: Protocol[];
  uses: Record<Protocol, boolean>;
  /** rbacUnconfirmed: RBAC for Applications is not documented in this environment's cloud. */
  smtp: {
    access: SmtpAccess;
    rbac: boolean;
    rbacUnconfirmed: boolean;
    group: string | null;
    scopeName: string;
    assignmentName: string;
  };
  /** API permissions to add in the portal (SMTP.SendAsApp is left out in RBAC mode). */
  permissions: (Permission & { label: string })[];
  /** Roles the token must carry; the same list as permissions, by name. */
  requiredRoles: string[];
  /** The mailboxes the app uses (for a retired environment: every mailbox it had). */
  mailboxes: MailboxPlan[];
  /** Mailboxes with `state: absent`: the app's access to them is removed, and verify expects their logins refused. */
  removedMailboxes: MailboxPlan[];
  /**
   * API permissions that only removed mailboxes used (the last POP mailbox gone, say): the app no longer needs them, so
   * the runbook says to remove them and revoke their consent.
   */
  unusedPermissions: (Permission & { label: string })[];
  servers: Server[];
  steps: Step[];
  /** Steps by id, for templates (`env.step.[grant-consent]`) and verify. */
  step: Partial<Record<StepId, Step>>;
  stepsFor: Record<Actor, Step[]>;
  troubleshooting: TroubleshootingRow[];
  hasSendAs: boolean;
  needsMailboxAccess: boolean;
  /** The read protocols that must be enabled on the mailboxes: [], ["IMAP"], ["POP"] or ["IMAP", "POP"]. */
  readProtocolLabels: string[];
  reportFile: string;
  /** The cloud's caveat about its unconfirmed scope and hosts (null in the worldwide cloud). */
  cloudCaveat: string | null;
  /** Whether a Microsoft page confirms the scope and mail hosts; false marks each of them unconfirmed. */
  valuesConfirmed: boolean;
  /** Address lists the Exchange script works through. */
  script: {
    fullAccess: string[];
    sendAs: string[];
    smtp: string[];
    imap: string[];
    pop: string[];
    /** What the setup script takes away: FullAccess on removed mailboxes, SendAs no present mailbox still needs. */
    removeFullAccess: string[];
    removeSendAs: string[];
  };
}

export interface TroubleshootingRow {
  id: string;
  symptom: string;
  cause: string;
  steps: Step[];
  advice: string | null;
}

export interface MailboxPlan {
  address: string;
  protocols: Protocol[];
  protocolLabels: string[]; // ["IMAP", "SMTP"]
  /** FullAccess is needed for IMAP and POP, and for SMTP unless SMTP goes through RBAC. */
  fullAccess: boolean;
  smtpAuth: boolean;
  sendAs: string[];
  absent: boolean;
}

const protocolLabel = (p: Protocol): string => protocolTable[p].label;

export function workPortalUrlFor(envName: string, company: string, project: string): string {
  return envName === 'production'
    ? `https://${project}-${company}.bizagi.com`
    : `https://${envName}-${project}-${company}.bizagi.com`;
}

export function buildPlan(
  m: Manifest,
  sourceName: string,
  manifest: ManifestLocation = { path: sourceName, inRepository: false },
  language: Language = defaultLanguage,
): Plan {
  const text = catalogueFor(language);
  const cloudId = m.tenant.cloud ?? 'global';
  const cloud = cloudIn(cloudId, text);
  const hosting = m.bizagi.hosting ?? 'cloud';
  const environments = Object.entries(m.environments).map(([name, env]): EnvironmentPlan => {
    const derived = workPortalUrlFor(name, m.bizagi.company, m.bizagi.project);
    const workPortalUrl = (env.workPortalUrl ?? derived).replace(/\/+$/, '');
    const retired = env.state === 'absent';
    // A retired environment is described as it was set up (every mailbox), so its teardown undoes all of it.
    const active = retired ? env.mailboxes : env.mailboxes.filter((mb) => mb.state !== 'absent');
    const used = new Set(active.flatMap((mb) => mb.protocols));
    const protocols = protocolOrder.filter((p) => used.has(p));
    const access = env.smtp?.access ?? 'mailbox-permission';
    const rbac = access === 'rbac' && used.has('smtp');
    const perms = protocols.filter((p) => !(p === 'smtp' && rbac)).map((p) => permissions[p]);
    const mailboxPlan = (mb: (typeof env.mailboxes)[number]): MailboxPlan => {
      const ps = protocolOrder.filter((p) => mb.protocols.includes(p));
      return {
        address: mb.address,
        protocols: ps,
        protocolLabels: ps.map((p) => protocolLabel(p)),
        fullAccess: ps.some((p) => p !== 'smtp' || !rbac),
        smtpAuth: ps.includes('smtp'),
        sendAs: mb.sendAs ?? [],
        absent: !retired && mb.state === 'absent',
      };
    };
    const mailboxes = active.map(mailboxPlan);
    const removedMailboxes = retired ? [] : env.mailboxes.filter((mb) => mb.state === 'absent').map(mailboxPlan);
    const stillSentAs = new Set(mailboxes.flatMap((mb) => mb.sendAs.map((a) => a.toLowerCase())));
    const hasSendAs = mailboxes.some((mb) => mb.sendAs.length > 0);
    const needsMailboxAccess = mailboxes.some((mb) => mb.fullAccess) || hasSendAs;
    const steps = buildSteps(
      (id) =>
        id === 'enable-smtp-auth'
          ? used.has('smtp')
          : id === 'assign-smtp-rbac'
            ? rbac
            : id === 'grant-mailbox-access'
              ? needsMailboxAccess
              : id === 'add-permissions' || id === 'grant-consent'
                ? perms.length > 0
                : true,
      text.steps,
    );
    const authority = `${cloud.authorityHost}/${m.tenant.id}`;
    return {
      name,
      retired,
      workPortalUrl,
      workPortalDerived: env.workPortalUrl === undefined,
      workPortalPatternDocumented: env.workPortalUrl === undefined && (name === 'test' || name === 'production'),
      redirectUri: `${workPortalUrl}/oauth2/client/callback`,
      authority,
      tokenUri: `${authority}/oauth2/v2.0/token`,
      scope: resources.exchange.scope(cloud),
      app: {
        displayName: env.app?.displayName ?? `Bizagi ${m.bizagi.project} mail (${name})`,
        clientId: env.app?.clientId?.toLowerCase() ?? null,
        objectId: env.app?.enterpriseAppObjectId?.toLowerCase() ?? null,
        secretEnv: env.app?.secret?.env ?? null,
        secretExpires: env.app?.secret?.expires ?? null,
        secretDescription: `Bizagi ${m.bizagi.project} ${name} mail`,
      },
      protocols,
      uses: { imap: used.has('imap'), pop: used.has('pop'), smtp: used.has('smtp') },
      smtp: {
        access,
        rbac,
        rbacUnconfirmed: rbac && !cloud.rbacForApplications,
        group: env.smtp?.group ?? null,
        ...rbacNames(m.bizagi.company, m.bizagi.project, name, env.app?.clientId ?? null),
      },
      permissions: perms.map((p) => ({ ...p, label: protocolLabel(p.protocol) })),
      requiredRoles: perms.map((p) => p.name),
      mailboxes,
      removedMailboxes,
      unusedPermissions: protocolOrder
        .filter((p) => !used.has(p) && removedMailboxes.some((mb) => mb.protocols.includes(p)))
        .filter((p) => !(p === 'smtp' && access === 'rbac'))
        .map((p) => ({ ...permissions[p], label: protocolLabel(p) })),
      servers: protocols.map((p) => serverFor(cloud, p)),
      steps,
      step: Object.fromEntries(steps.map((s) => [s.id, s])),
      stepsFor: Object.fromEntries(actors.map((a) => [a, steps.filter((s) => s.actor === a)])) as Record<Actor, Step[]>,
      troubleshooting: troubleshootingFor(
        steps,
        used,
        perms.map((p) => p.name),
        language,
      ),
      hasSendAs,
      needsMailboxAccess,
      readProtocolLabels: protocols.filter((p) => p !== 'smtp').map((p) => protocolLabel(p)),
      reportFile: verificationReportFile(name),
      cloudCaveat: cloud.caveat && [cloud.caveat, used.has('smtp') ? cloud.smtpCaveat : null].filter(Boolean).join(' '),
      valuesConfirmed: cloud.valuesConfirmed,
      script: {
        fullAccess: mailboxes.filter((mb) => mb.fullAccess).map((mb) => mb.address),
        sendAs: [...new Set(mailboxes.flatMap((mb) => mb.sendAs))],
        smtp: mailboxes.filter((mb) => mb.smtpAuth).map((mb) => mb.address),
        imap: mailboxes.filter((mb) => mb.protocols.includes('imap')).map((mb) => mb.address),
        pop: mailboxes.filter((mb) => mb.protocols.includes('pop')).map((mb) => mb.address),
        removeFullAccess: removedMailboxes.map((mb) => mb.address),
        removeSendAs: [...new Set(removedMailboxes.flatMap((mb) => mb.sendAs))].filter(
          (a) => !stillSentAs.has(a.toLowerCase()),
        ),
      },
    };
  });
  return {
    language,
    source: sourceName,
    manifest,
    tenant: {
      id: m.tenant.id.toLowerCase(),
      isPlaceholder: isPlaceholderTenant(m.tenant.id),
      domain: m.tenant.domain ?? null,
      displayName: m.tenant.displayName ?? null,
      cloud: cloudId,
    },
    cloud: { ...cloud, resourceAppId: resources.exchange.appId, resourceName: resources.exchange.name },
    bizagi: { company: m.bizagi.company, project: m.bizagi.project, hosting, isCloud: hosting === 'cloud' },
    contacts: { itSupport: m.contacts?.itSupport ?? null, exchangeAdmin: m.contacts?.exchangeAdmin ?? null },
    environments,
    expiryWarningDays,
    deletedAppRestoreDays: 30,
    names: { smtpPermission: permissions.smtp.name, ewsPermission: fullAccessAsApp.name, smtpRbacRole },
  };
}

/** init writes an all-zero tenant ID for the user to replace. */
export const isPlaceholderTenant = (id: string): boolean => /^[0-]+$/.test(id);

function troubleshootingFor(
  steps: Step[],
  used: Set<Protocol>,
  requiredRoles: readonly string[],
  language: Language,
): TroubleshootingRow[] {
  // A step a diagnosis quotes is named as this environment's runbook titles it.
  const titled = (id: StepId) => steps.find((s) => s.id === id)?.title ?? catalogueFor(language).steps.titles[id];
  return diagnosesIn(language, titled, requiredRoles).flatMap((d) => {
    if (d.protocols && !d.protocols.some((p) => used.has(p))) return [];
    const redo = steps.filter((s) => d.redo.includes(s.id));
    if (d.redo.length > 0 && redo.length === 0) return [];
    return [{ id: d.id, symptom: d.symptom, cause: d.cause, steps: redo, advice: d.advice }];
  });
}
