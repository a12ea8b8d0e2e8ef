// Hand-written mirror of schemas/manifest.schema.json; test/manifest-types.test.ts proves the two agree key by key.

export type Cloud = 'global' | 'usgov' | 'usgov-dod' | 'china';
export type Hosting = 'cloud' | 'on-premises';
export type Protocol = 'imap' | 'pop' | 'smtp';
export type SmtpAccess = 'mailbox-permission' | 'rbac';
/** Ansible's `state`, DSC's `Ensure`: absent means remove what present set up. */
export type State = 'present' | 'absent';

export interface Manifest {
  version: 1;
  tenant: Tenant;
  bizagi: Bizagi;
  contacts?: Contacts;
  environments: Record<string, Environment>;
}

export interface Tenant {
  id: string;
  domain?: string;
  displayName?: string;
  cloud?: Cloud;
}

export interface Bizagi {
  company: string;
  project: string;
  hosting?: Hosting;
}

export interface Contacts {
  itSupport?: string;
  exchangeAdmin?: string;
}

export interface Environment {
  state?: State;
  workPortalUrl?: string;
  app?: App;
  smtp?: Smtp;
  mailboxes: Mailbox[];
}

export interface App {
  displayName?: string;
  clientId?: string;
  enterpriseAppObjectId?: string;
  secret?: Secret;
}

export interface Secret {
  env?: string;
  expires?: string;
}

export interface Smtp {
  access?: SmtpAccess;
  group?: string;
}

export interface Mailbox {
  address: string;
  protocols: Protocol[];
  sendAs?: string[];
  state?: State;
}

/** Every key of T, required: a missing or extra key here is a type error, so the lists below cannot drift from the types. */
type KeysOf<T> = { [K in keyof T]-?: true };
const keys = <T>(k: KeysOf<T>): string[] => Object.keys(k);

/** Property names of each object type, by schema location; the schema test compares them with the schema. */
export const typeKeys = {
  manifest: keys<Manifest>({ version: true, tenant: true, bizagi: true, contacts: true, environments: true }),
  tenant: keys<Tenant>({ id: true, domain: true, displayName: true, cloud: true }),
  bizagi: keys<Bizagi>({ company: true, project: true, hosting: true }),
  contacts: keys<Contacts>({ itSupport: true, exchangeAdmin: true }),
  environment: keys<Environment>({ state: true, workPortalUrl: true, app: true, smtp: true, mailboxes: true }),
  app: keys<App>({ displayName: true, clientId: true, enterpriseAppObjectId: true, secret: true }),
  secret: keys<Secret>({ env: true, expires: true }),
  smtp: keys<Smtp>({ access: true, group: true }),
  mailbox: keys<Mailbox>({ address: true, protocols: true, sendAs: true, state: true }),
};

export const enums = {
  cloud: ['global', 'usgov', 'usgov-dod', 'china'] satisfies Cloud[],
  hosting: ['cloud', 'on-premises'] satisfies Hosting[],
  protocol: ['imap', 'pop', 'smtp'] satisfies Protocol[],
  smtpAccess: ['mailbox-permission', 'rbac'] satisfies SmtpAccess[],
  state: ['present', 'absent'] satisfies State[],
};
