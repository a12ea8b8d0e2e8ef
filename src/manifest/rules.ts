import type { Diagnostic } from './diagnostic.ts';
import { placeAt, type JsonPath, type ParsedYaml } from './parse.ts';
import type { Manifest } from './types.ts';
import { daysBetween, describeExpiry, expiryWarningDays } from './expiry.ts';
import { mailboxUses, sharedMailboxDiagnostics } from './shared-mailboxes.ts';

/** Checks the schema cannot express. `today` is YYYY-MM-DD, passed in so results are reproducible. */
export function checkRules(parsed: ParsedYaml, m: Manifest, today: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const add = (path: JsonPath, d: Omit<Diagnostic, 'file' | 'line' | 'column'>, want: 'key' | 'value' = 'value') => {
    out.push({
      ...placeAt(parsed, path, want),
      path,
      ...d,
    });
  };
  const hosting = m.bizagi.hosting ?? 'cloud';
  const clientIds = new Map<string, string>();
  if (/^[0-]+$/.test(m.tenant.id)) {
    add(['tenant', 'id'], {
      severity: 'warning',
      code: 'placeholder-tenant-id',
      message: 'tenant.id is still the all-zero placeholder',
      fix: 'copy the Directory (tenant) ID from Microsoft Entra ID > Overview',
    });
  }

  for (const [name, env] of Object.entries(m.environments)) {
    const at = ['environments', name] as const;
    if (hosting === 'on-premises' && !env.workPortalUrl) {
      add(
        at,
        {
          severity: 'error',
          code: 'missing-work-portal-url',
          message: `environment "${name}" has no workPortalUrl, and an on-premises Work Portal URL cannot be derived`,
          expected: 'workPortalUrl: https://…',
          fix: `add "workPortalUrl:" with the base URL users open for ${name}`,
        },
        'key',
      );
    }

    if (env.state !== 'absent' && env.mailboxes.every((mb) => mb.state === 'absent')) {
      add(
        [...at, 'mailboxes'],
        {
          severity: 'error',
          code: 'no-mailbox-left',
          message: `every mailbox of "${name}" has state: absent, so the environment uses none`,
          fix: `to retire the environment, give "${name}" state: absent (generate then writes its decommission runbook and teardown script)`,
        },
        'key',
      );
    }

    const seen = new Map<string, number>();
    env.mailboxes.forEach((mb, i) => {
      const k = mb.address.toLowerCase();
      const first = seen.get(k);
      if (first !== undefined) {
        add([...at, 'mailboxes', i, 'address'], {
          severity: 'error',
          code: 'duplicate-mailbox',
          message: `mailbox ${mb.address} is listed twice in "${name}" (entries ${first + 1} and ${i + 1})`,
          fix: 'merge the two entries into one and list all its protocols there',
        });
      } else seen.set(k, i);
      if (mb.sendAs?.length && !mb.protocols.includes('smtp')) {
        add(
          [...at, 'mailboxes', i, 'sendAs'],
          {
            severity: 'warning',
            code: 'send-as-without-smtp',
            message: `${mb.address} lists sendAs addresses but does not use smtp`,
            fix: 'add smtp to its protocols, or remove sendAs',
          },
          'key',
        );
      }
    });

    const app = env.app;
    if (app?.clientId) {
      if (app.clientId.toLowerCase() === m.tenant.id.toLowerCase()) {
        add([...at, 'app', 'clientId'], {
          severity: 'error',
          code: 'client-id-is-tenant-id',
          message: 'the client ID is the same as the tenant ID',
          fix: "copy the Application (client) ID from the app's Overview page; the Directory (tenant) ID goes in tenant.id",
        });
      }
      const other = clientIds.get(app.clientId.toLowerCase());
      if (other !== undefined) {
        add([...at, 'app', 'clientId'], {
          severity: 'warning',
          code: 'client-id-shared',
          message: `environments "${other}" and "${name}" use the same app registration`,
          fix: 'give each environment its own app registration, so a test secret cannot read production mail',
        });
      } else clientIds.set(app.clientId.toLowerCase(), name);
    }
    if (
      app?.enterpriseAppObjectId &&
      app.clientId &&
      app.enterpriseAppObjectId.toLowerCase() === app.clientId.toLowerCase()
    ) {
      add([...at, 'app', 'enterpriseAppObjectId'], {
        severity: 'error',
        code: 'object-id-is-client-id',
        message: 'the Enterprise application Object ID is the same as the client ID',
        fix: 'open Microsoft Entra ID > Enterprise applications > this app > Overview and copy its Object ID',
      });
    }
    const expires = app?.secret?.expires;
    if (expires) {
      // An expiry is a date on the calendar, not a mistake in the file: a warning, so a docs build never goes red
      // on a day with no commit. `status` and `verify` are where it fails.
      const left = daysBetween(today, expires);
      if (left <= 0) {
        add([...at, 'app', 'secret', 'expires'], {
          severity: 'warning',
          code: 'secret-expired',
          message: `the client secret of "${name}" ${describeExpiry(expires, left)}`,
          fix: 'create a new client secret, update the Client Secret field in the Bizagi Management Console, then update this date',
        });
      } else if (left <= expiryWarningDays) {
        add([...at, 'app', 'secret', 'expires'], {
          severity: 'warning',
          code: 'secret-expires-soon',
          message: `the client secret of "${name}" ${describeExpiry(expires, left)}`,
          fix: 'create a new client secret now and update Bizagi before this date',
        });
      }
    }

    const smtp = env.smtp;
    const usesSmtp = env.mailboxes.some((mb) => mb.protocols.includes('smtp'));
    if (smtp?.access === 'rbac' && !smtp.group) {
      add(
        [...at, 'smtp'],
        {
          severity: 'error',
          code: 'rbac-needs-group',
          message: `"${name}" uses RBAC for SMTP but names no group to scope it to`,
          expected: 'smtp.group: a mail-enabled security group address',
          fix: 'add "group:" with the address of the group whose members the app may send as',
        },
        'key',
      );
    }
    if (smtp?.group && smtp.access !== 'rbac') {
      add(
        [...at, 'smtp', 'group'],
        {
          severity: 'warning',
          code: 'smtp-group-unused',
          message: 'smtp.group is only used with "access: rbac"',
          fix: 'add "access: rbac", or remove group',
        },
        'key',
      );
    }
    if (smtp && !usesSmtp) {
      add(
        [...at, 'smtp'],
        {
          severity: 'warning',
          code: 'smtp-unused',
          message: `"${name}" configures smtp but no mailbox uses smtp`,
          fix: 'remove the smtp section, or add smtp to a mailbox',
        },
        'key',
      );
    }
  }
  out.push(...sharedMailboxDiagnostics(mailboxUses(parsed, m), { acrossFiles: false }));
  return out;
}
