import type { LoginOutcome, LoginTarget } from './login-result.ts';
import { smtpFailure, smtpTransport } from './smtp.ts';

export interface TestMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
}

/**
 * Submits one message over an authenticated session. Exchange checks the right to send as the From address only
 * here (554 5.2.252 SendAsDenied after DATA, or 550 5.7.60 at MAIL FROM), never at AUTH; a refusal comes back as the
 * server's reply with the stage `send`.
 */
export async function smtpSend(t: LoginTarget, message: TestMessage): Promise<LoginOutcome> {
  const transport = await smtpTransport(t);
  try {
    const info = await transport.sendMail({
      from: message.from,
      to: message.to,
      envelope: { from: message.from, to: [message.to] },
      subject: message.subject,
      text: message.text,
      // Marks it as machine-made: no out-of-office replies, and a mail rule can file it.
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Mail-Oauth-Runbook': 'verify --send-test-to' },
    });
    return { ok: true, detail: `accepted for ${message.to}: ${String(info.response ?? '').slice(0, 200)}` };
  } catch (e) {
    const failure = await smtpFailure(e, t);
    return 'stage' in failure ? { ...failure, stage: 'send' } : failure;
  } finally {
    transport.close();
  }
}
