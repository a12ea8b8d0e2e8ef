import type { Protocol } from '../manifest/types.ts';
import type { CloudEndpoints } from './clouds.ts';

/**
 * What the app gets a token for. Each protocol belongs to one resource and verify requests one token per resource,
 * so a check against another API (Microsoft Graph, say) is a new row here and in `resources`, not a rewrite.
 */
export type ResourceId = 'exchange';

/** Everything about a mail protocol (sources: docs/sources.md, "Authenticate an IMAP, POP or SMTP connection using OAuth" and the national clouds), in one table read by the plan, the templates and verify. */
export interface ProtocolFacts {
  id: Protocol;
  label: string;
  port: number;
  security: 'SSL/TLS' | 'STARTTLS';
  resource: ResourceId;
  /** The application permission (app role) the token must carry; role ids are the same in every tenant. */
  role: { name: string; roleId: string };
}

export const protocolOrder: readonly Protocol[] = ['imap', 'pop', 'smtp'];

export const protocols: Record<Protocol, ProtocolFacts> = {
  imap: {
    id: 'imap',
    label: 'IMAP',
    port: 993,
    security: 'SSL/TLS',
    resource: 'exchange',
    role: { name: 'IMAP.AccessAsApp', roleId: '5e5addcd-3e8d-4e90-baf5-964efab2b20a' },
  },
  pop: {
    id: 'pop',
    label: 'POP',
    port: 995,
    security: 'SSL/TLS',
    resource: 'exchange',
    role: { name: 'POP.AccessAsApp', roleId: 'cb842b43-da6e-4506-86fe-bb12199c656d' },
  },
  smtp: {
    id: 'smtp',
    label: 'SMTP',
    port: 587,
    security: 'STARTTLS',
    resource: 'exchange',
    role: { name: 'SMTP.SendAsApp', roleId: '7146a1f0-8703-45b3-9eae-527a64c00995' },
  },
};

/** A mail server as documents show it and verify connects to it. */
export interface Server {
  protocol: Protocol;
  label: string;
  host: string;
  port: number;
  security: ProtocolFacts['security'];
}

/** The cloud's server for a protocol. */
export function serverFor(cloud: Pick<CloudEndpoints, 'hosts'>, protocol: Protocol): Server {
  const p = protocols[protocol];
  return { protocol, label: p.label, host: cloud.hosts[protocol], port: p.port, security: p.security };
}
