import type { EnvironmentPlan } from '../../plan/plan.ts';
import { judge, limited, loginTarget, type LoginSettings } from './logins.ts';
import { smtpSend, type TestMessage } from '../network/mail/smtp-send.ts';
import { mapBounded } from './map-bounded.ts';
import type { CheckResult } from '../report/result.ts';

/** The messages --send-test-to sends: one from each SMTP mailbox and one from each of its sendAs addresses. */
export function testMessages(env: EnvironmentPlan, to: string, at: Date): { mailbox: string; message: TestMessage }[] {
  return env.mailboxes
    .filter((mb) => mb.protocols.includes('smtp'))
    .flatMap((mb) =>
      [mb.address, ...mb.sendAs].map((from) => ({
        mailbox: mb.address,
        message: {
          from,
          to,
          subject: `[mail-oauth-runbook test] ${env.name}: sent as ${from}`,
          text: [
            'This is a test message from mail-oauth-runbook verify --send-test-to.',
            'No action is needed.',
            '',
            `It proves that the app of the environment "${env.name}"`,
            `may send as ${from}`,
            `through the mailbox ${mb.address}`,
            'with app-only OAuth (SMTP XOAUTH2).',
            '',
            `Sent at ${at.toISOString()}.`,
          ].join('\r\n'),
        },
      })),
    );
}

/**
 * Sends each test message, `concurrency` at a time, and judges it as a login is judged: a refusal names its step
 * (5.2.252 SendAsDenied and 5.7.60 point to the SendAs grant).
 */
export async function sendTestChecks(
  env: EnvironmentPlan,
  token: string,
  roles: readonly string[],
  to: string,
  s: LoginSettings & { now: () => Date },
  onCheck?: (c: CheckResult) => void,
): Promise<CheckResult[]> {
  const work = testMessages(env, to, s.now());
  return mapBounded(
    work,
    s.concurrency,
    async ({ mailbox, message }) => {
      const outcome = await limited((t) => smtpSend(t, message), loginTarget(s, 'smtp', mailbox, token), s.budget);
      const via = message.from === mailbox ? '' : ` (via ${mailbox})`;
      const base = {
        id: `send-${mailbox}-as-${message.from}`,
        title: `Send as ${message.from}${via}`,
        send: { mailbox, from: message.from, to },
      };
      return { ...base, ...judge(env, 'smtp', outcome, roles, s.runbook) };
    },
    onCheck,
  );
}
