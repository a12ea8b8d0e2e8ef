// The starter manifest `init` writes, from what it was told (flags or answers at a terminal). Pure: answers → text.
// Whatever is not known becomes a `<…>` placeholder that validate reports until it is replaced.

export type Hosting = 'cloud' | 'on-premises';

export interface InitAnswers {
  tenantId?: string;
  company?: string;
  project?: string;
  hosting?: Hosting;
  environments: { name: string; mailboxes: { address: string; protocols: string[] }[] }[];
}

export const defaultEnvironments = ['test', 'production'];
export const defaultProtocols = ['imap', 'smtp'];
const zeroTenant = '00000000-0000-0000-0000-000000000000';

/** A value as YAML: plain when it is plainly safe (names, addresses, placeholders), else double-quoted (JSON). */
export const yamlScalar = (v: string): string =>
  /^(?:[A-Za-z0-9][A-Za-z0-9._@+-]*|<[A-Za-z0-9 ._()-]+>)$/.test(v) ? v : JSON.stringify(v);

/** The variable verify reads the secret from: HR_TEST_MAIL_SECRET for project hr, environment test. */
export function secretVariable(project: string | undefined, env: string): string {
  const words = [project, env, 'mail', 'secret'].filter((w): w is string => Boolean(w) && !/^<.*>$/.test(w!));
  const name = words
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '_');
  return /^[A-Z_]/.test(name) ? name : `_${name}`;
}

export function starterManifest(template: string, schemaPath: string, a: InitAnswers): string {
  const envs = (a.environments.length ? a.environments : defaultEnvironments.map((name) => ({ name, mailboxes: [] })))
    .map((e) => environmentBlock(e, a))
    .join('\n');
  const values: Record<string, string> = {
    schemaPath,
    tenantId: yamlScalar(a.tenantId ?? zeroTenant),
    company: yamlScalar(a.company ?? '<company>'),
    project: yamlScalar(a.project ?? '<project>'),
    hosting: a.hosting ?? 'cloud',
    environments: envs.replace(/\n$/, ''),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (m, k: string) => values[k] ?? m);
}

function environmentBlock(e: InitAnswers['environments'][number], a: InitAnswers): string {
  const mailboxes = e.mailboxes.length ? e.mailboxes : [{ address: '<mailbox address>', protocols: defaultProtocols }];
  return [
    `  ${yamlScalar(e.name)}:`,
    ...(a.hosting === 'on-premises'
      ? ['    workPortalUrl: <Work Portal URL>   # https://…, the base of this environment']
      : []),
    '    app:',
    '      # clientId: <Application (client) ID, after you register the app>',
    '      # enterpriseAppObjectId: <Object ID from Enterprise applications, not from App registrations>',
    '      secret:',
    `        env: ${secretVariable(a.project, e.name)}   # the variable that holds the secret Value for verify`,
    '        # expires: 2027-05-31',
    '    mailboxes:',
    ...mailboxes.flatMap((m) => [
      `      - address: ${yamlScalar(m.address)}`,
      `        protocols: [${m.protocols.map(yamlScalar).join(', ')}]   # any of imap, pop, smtp`,
    ]),
    '',
  ].join('\n');
}

/** init's flags. */
export interface InitOptions {
  tenant?: string;
  company?: string;
  project?: string;
  hosting?: Hosting;
  env?: string[];
  /** `<env>:<address>[:<protocols>]`, e.g. `test:hr-test@contoso.com:imap,smtp`. */
  mailbox?: string[];
  /** false (--no-input): never ask, even on a terminal. */
  input?: boolean;
}
