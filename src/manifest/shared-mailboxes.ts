import type { Diagnostic } from './diagnostic.ts';
import { locate, position, type ParsedYaml } from './parse.ts';
import type { Manifest } from './types.ts';

/** One mailbox entry of one environment, with where it is written. */
export interface MailboxUse {
  parsed: ParsedYaml;
  environment: string;
  index: number;
  address: string;
  /** Read over IMAP or POP: a reader takes messages out of the inbox that any other reader would also wait for. */
  reads: boolean;
}

export function mailboxUses(parsed: ParsedYaml, m: Manifest): MailboxUse[] {
  return Object.entries(m.environments).flatMap(([environment, env]) =>
    env.mailboxes.map((mb, index) => ({
      parsed,
      environment,
      index,
      address: mb.address,
      reads: mb.protocols.some((p) => p !== 'smtp'),
    })),
  );
}

/**
 * Bizagi: "One mailbox must be configured per project" (Configure Email Integration Using Office 365 with Exchange,
 * see docs/sources.md). Two environments or projects reading one mailbox take each other's messages: an error. A
 * mailbox shared where at most one of them reads loses no mail, but goes against that rule: a warning. Each later use
 * is reported once, against the first use by another environment; `acrossFiles` reports only uses in different files
 * (the rules of each file report the rest).
 */
export function sharedMailboxDiagnostics(uses: readonly MailboxUse[], opts: { acrossFiles: boolean }): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byAddress = new Map<string, MailboxUse[]>();
  for (const u of uses) {
    const key = u.address.toLowerCase();
    byAddress.set(key, [...(byAddress.get(key) ?? []), u]);
  }
  for (const group of byAddress.values()) {
    group.forEach((use, i) => {
      const others = group
        .slice(0, i)
        .filter((o) =>
          opts.acrossFiles
            ? o.parsed.file !== use.parsed.file
            : o.parsed.file === use.parsed.file && o.environment !== use.environment,
        );
      if (others.length === 0) return;
      const reader = use.reads ? others.find((o) => o.reads) : undefined;
      const other = reader ?? others[0]!;
      const where = `"${other.environment}"${other.parsed.file === use.parsed.file ? '' : ` of ${other.parsed.file}`}`;
      const r = locate(use.parsed, ['environments', use.environment, 'mailboxes', use.index, 'address'], 'value');
      const at = { file: use.parsed.file, ...position(use.parsed.lines, r.offset), offset: r.offset, length: r.length };
      out.push(
        reader
          ? {
              ...at,
              severity: 'error',
              code: 'mailbox-read-twice',
              message: `mailbox ${use.address} is read over IMAP or POP by "${use.environment}" and by ${where}: each would take messages the other is waiting for`,
              fix: 'give each environment and each Bizagi project its own mailbox (Bizagi: "One mailbox must be configured per project")',
            }
          : {
              ...at,
              severity: 'warning',
              code: 'mailbox-shared',
              message: `mailbox ${use.address} is also used by ${where}; at most one of them reads it, so no mail is lost, but Bizagi asks for one mailbox per project`,
              fix: 'give each environment and each Bizagi project its own mailbox, or accept sharing one only for sending',
            },
      );
    });
  }
  return out;
}
