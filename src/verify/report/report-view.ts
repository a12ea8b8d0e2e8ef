import { protocolOrder, protocols } from '../../plan/protocols.ts';
import { statusLabel } from './format.ts';
import type { CheckResult, VerifyReport } from './result.ts';

// What the verification record template shows, computed here so the template holds no logic. Every value is still
// raw text: the template escapes each one for Markdown. Addresses and details (which quote servers) go in code spans.

export interface ReportView {
  manifest: string;
  result: string;
  verifiedAt: string;
  several: boolean;
  environments: EnvironmentView[];
}

interface EnvironmentView {
  name: string;
  result: string;
  verifiedAt: string;
  toolVersion: string;
  /** What was reached, as `what host:port` pairs: the sign-in service first, then each protocol. */
  hosts: { what: string; where: string }[];
  tenant: string;
  clientId: string | null;
  checks: {
    status: string;
    title: string;
    subject: string | null;
    detail: string;
    redo: { number: number; title: string }[];
  }[];
  protocols: string[];
  logins: { mailbox: string; cells: string[] }[];
  sends: { from: string; via: string; to: string; status: string }[];
  claims: { name: string; value: string }[];
}

export function reportView(reports: readonly VerifyReport[]): ReportView {
  return {
    manifest: reports[0]?.manifest ?? '',
    result: verdict(reports.every((r) => r.result === 'pass')),
    verifiedAt: reports[0]?.startedAt ?? '',
    several: reports.length > 1,
    environments: reports.map(environmentView),
  };
}

const verdict = (ok: boolean) => (ok ? 'PASSED' : 'FAILED');

function environmentView(r: VerifyReport): EnvironmentView {
  const logins = r.checks.filter((c) => c.login);
  const used = protocolOrder.filter((p) => logins.some((c) => c.login!.protocol === p));
  const mailboxes = [...new Set(logins.map((c) => c.login!.mailbox))];
  return {
    name: r.environment,
    result: verdict(r.result === 'pass'),
    verifiedAt: r.startedAt,
    toolVersion: r.toolVersion,
    hosts: [
      { what: 'Sign-in', where: r.hosts.authority },
      ...used.map((p) => ({ what: protocols[p].label, where: r.hosts[p] })),
    ],
    tenant: r.tenant,
    clientId: r.clientId,
    checks: r.checks.map((c) => ({
      status: statusLabel(c.status),
      ...titleOf(c),
      detail: c.detail,
      redo:
        c.status === 'fail' || c.status === 'warn'
          ? (c.diagnosis?.steps ?? []).map((s) => ({ number: s.number, title: s.title }))
          : [],
    })),
    protocols: used.map((p) => protocols[p].label),
    logins: mailboxes.map((mailbox) => ({
      mailbox,
      cells: used.map((p) => {
        const c = logins.find((l) => l.login!.mailbox === mailbox && l.login!.protocol === p);
        return c ? statusLabel(c.status) : '—';
      }),
    })),
    sends: r.checks
      .filter((c) => c.send)
      .map((c) => ({ from: c.send!.from, via: c.send!.mailbox, to: c.send!.to, status: statusLabel(c.status) })),
    claims: Object.entries(r.claims ?? {}).map(([name, v]) => ({ name, value: claimValue(name, v) })),
  };
}

/** A session check's title names a mailbox or an address: kept apart so the template can put it in a code span. */
function titleOf(c: CheckResult): { title: string; subject: string | null } {
  if (c.login) return { title: protocols[c.login.protocol].label, subject: c.login.mailbox };
  if (c.send) return { title: 'Send as', subject: c.send.from };
  return { title: c.title, subject: null };
}

/** Claims that are times (seconds since 1970, RFC 7519) as a date a reader can check; anything else as it is. */
const timeClaims = new Set(['iat', 'nbf', 'exp']);
function claimValue(name: string, v: unknown): string {
  if (timeClaims.has(name) && typeof v === 'number') {
    const date = new Date(v * 1000);
    if (!Number.isNaN(date.getTime())) return `${date.toISOString().replace('.000Z', 'Z')} (${v})`;
  }
  return Array.isArray(v) ? v.join(', ') : String(v);
}
