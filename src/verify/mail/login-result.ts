import type { NetworkFailure } from '../network-failure.ts';

/** How one mailbox login ended. `reply` is the server's words, never anything we sent. */
export type LoginOutcome =
  | { ok: true; detail: string }
  | { ok: false; stage: 'auth' | 'after-auth' | 'send'; reply: string }
  | { ok: false; network: NetworkFailure };

export interface LoginTarget {
  host: string;
  port: number;
  user: string;
  accessToken: string;
  timeoutMs: number;
  /** An HTTP CONNECT proxy to tunnel through. */
  proxy?: URL;
  /** Receives the protocol conversation (C: client, S: server) for --trace; SASL responses never reach it. */
  trace?: Trace;
}

export type Trace = (direction: 'C' | 'S', line: string) => void;
