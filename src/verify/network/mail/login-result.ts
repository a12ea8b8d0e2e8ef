import type { NetworkFailure } from '../network-failure.ts';

/** How one mailbox login ended. `reply` is the server's words, never anything we sent. */
export type LoginOutcome =
  | { ok: true; detail: string }
  | { ok: false; stage: 'auth' | 'after-auth' | 'send'; reply: string }
  | { ok: false; network: NetworkFailure };

/** What a connection got to before it ended: to say "connected, then no answer" rather than "cannot connect". */
export interface Progress {
  connected: boolean;
  received: boolean;
  lastDataAt?: number;
  /** The issuer of the server's certificate, once it was received. */
  issuer?: string;
}

export interface LoginTarget {
  host: string;
  port: number;
  user: string;
  accessToken: string;
  /** The wall-clock limit of the whole login; `signal` aborts it when reached, and the caller reports the failure. */
  timeoutMs: number;
  signal: AbortSignal;
  progress: Progress;
  /** An HTTP CONNECT proxy to tunnel through. */
  proxy?: URL;
  /** Receives the protocol conversation (C: client, S: server) for --trace; SASL responses never reach it. */
  trace?: Trace;
}

export type Trace = (direction: 'C' | 'S', line: string) => void;
