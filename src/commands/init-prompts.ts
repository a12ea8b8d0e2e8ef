import { createInterface } from 'node:readline';
import type { Io } from '../io.ts';
import {
  defaultEnvironments,
  defaultProtocols,
  type Hosting,
  type InitAnswers,
  type InitOptions,
} from './init-starter.ts';

// init on a terminal: one question per thing the flags did not give, each with its default in brackets. An empty
// answer takes the default (or leaves a placeholder, which validate then reports); a wrong one is asked again. The
// questions go to stderr, so `init -` still writes only the manifest to stdout.

const dnsLabel = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const envName = /^(?!(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$)[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const address = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const protocols = new Set(['imap', 'pop', 'smtp']);
const list = (s: string) => s.split(/[\s,]+/).filter(Boolean);

export async function askInitAnswers(given: InitAnswers, opts: InitOptions, io: Io): Promise<InitAnswers> {
  const rl = createInterface({ input: io.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  /** Asks until `check` returns no complaint; at the end of input, the default. */
  const ask = async (question: string, fallback: string, check: (a: string) => string | undefined) => {
    for (;;) {
      io.stderr.write(`${question}${fallback ? ` [${fallback}]` : ''}: `);
      const next = await lines.next();
      if (next.done) {
        io.stderr.write('\n');
        return fallback;
      }
      const answer = next.value.trim() || fallback;
      const complaint = answer ? check(answer) : undefined;
      if (!complaint) return answer;
      io.stderr.write(`  ${complaint}\n`);
    }
  };
  const orPlaceholder = (a: string) => (a === '' ? undefined : a);
  try {
    io.stderr.write(
      'A few questions for the starter manifest (Enter takes the [default]; empty leaves a <placeholder>).\n',
    );
    const a: InitAnswers = { ...given, environments: [...given.environments] };
    a.company ??= orPlaceholder(
      await ask('Bizagi company, as in https://<env>-<project>-<company>.bizagi.com', '', (v) =>
        dnsLabel.test(v) ? undefined : 'lowercase letters, digits and hyphens, e.g. contoso',
      ),
    );
    a.project ??= orPlaceholder(
      await ask('Bizagi project', '', (v) =>
        dnsLabel.test(v) ? undefined : 'lowercase letters, digits and hyphens, e.g. hr',
      ),
    );
    a.hosting ??= (await ask('Hosting: cloud or on-premises', 'cloud', (v) =>
      v === 'cloud' || v === 'on-premises' ? undefined : 'cloud or on-premises',
    )) as Hosting;
    if (a.environments.length === 0 && !opts.env?.length) {
      const names = await ask('Environments (comma-separated)', defaultEnvironments.join(', '), (v) => {
        const bad = list(v).find((n) => !envName.test(n));
        return bad ? `"${bad}" is not an environment name: lowercase, starting with a letter, e.g. test` : undefined;
      });
      a.environments = [...new Set(list(names))].map((name) => ({ name, mailboxes: [] }));
    }
    for (const env of a.environments) {
      if (env.mailboxes.length) continue;
      const addresses = await ask(`Mailboxes of ${env.name} (comma-separated addresses)`, '', (v) => {
        const bad = list(v).find((m) => !address.test(m));
        return bad ? `"${bad}" is not a mail address` : undefined;
      });
      for (const m of list(addresses)) {
        const chosen = await ask(`  protocols for ${m}: imap, pop, smtp`, defaultProtocols.join(', '), (v) => {
          const bad = list(v).find((p) => !protocols.has(p));
          return bad ? `"${bad}" is not one of imap, pop, smtp` : undefined;
        });
        env.mailboxes.push({ address: m, protocols: [...new Set(list(chosen))] });
      }
    }
    return a;
  } finally {
    rl.close();
  }
}
