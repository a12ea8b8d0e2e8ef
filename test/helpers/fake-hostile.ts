import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';

// Servers that misbehave on purpose, for the time limits, size caps, redaction and control-character tests: each
// gets the raw connection (TLS already negotiated, or plain TCP) and a script that does what a hostile or broken
// server would do — say nothing, trickle, send without end, echo what it received, send escape sequences.

export interface HostileServer {
  port: number;
  /** Every line received (CRLF-split), so tests can see what reached the server. */
  received: string[];
  close(): Promise<void>;
}

export type Script = (socket: Socket, lines: AsyncIterable<string>, received: string[]) => void | Promise<void>;

function listen(server: Server, sockets: Set<Socket>, received: string[]): Promise<HostileServer> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        received,
        close: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

/** The lines a socket receives, as they come. */
function lineIterator(socket: Socket, received: string[]): AsyncIterable<string> {
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let buffer = '';
  socket.on('data', (d: Buffer) => {
    buffer += d.toString('utf8');
    let i: number;
    while ((i = buffer.indexOf('\r\n')) !== -1) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      received.push(line);
      queue.push(line);
    }
    wake?.();
  });
  socket.on('close', () => {
    ended = true;
    wake?.();
  });
  return {
    async *[Symbol.asyncIterator]() {
      while (true) {
        if (queue.length) yield queue.shift()!;
        else if (ended) return;
        else await new Promise<void>((r) => (wake = r));
      }
    },
  };
}

function serve(make: (onSocket: (s: Socket) => void) => Server, script: Script): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const received: string[] = [];
  const server = make((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    void Promise.resolve(script(socket, lineIterator(socket, received), received)).catch(() => socket.destroy());
  });
  return listen(server, sockets, received);
}

/** A TLS server (implicit TLS: HTTPS, IMAPS, POP3S) running `script` on each connection. */
export const startTlsScript = (tls: { key: string; cert: string }, script: Script) =>
  serve((on) => createTlsServer(tls, (s: TLSSocket) => on(s)), script);

/** A plain TCP server running `script` on each connection (SMTP before STARTTLS, or a server that never does TLS). */
export const startTcpScript = (script: Script) => serve((on) => createTcpServer(on), script);

/** Accepts the connection and never says a thing. */
export const silent: Script = () => undefined;

/** Sends `text` one byte every `everyMs`, then repeats it forever. */
export const trickle =
  (text: string, everyMs: number): Script =>
  (socket) => {
    let i = 0;
    const timer = setInterval(() => {
      if (socket.destroyed) return clearInterval(timer);
      socket.write(text[i++ % text.length]!);
    }, everyMs);
    socket.on('close', () => clearInterval(timer));
  };

/** Writes `head`, then `chunk` as fast as the client reads, without end. */
export const endless =
  (head: string, chunk: string): Script =>
  (socket) => {
    socket.write(head);
    const pump = () => {
      while (!socket.destroyed && socket.write(chunk));
    };
    socket.on('drain', pump);
    pump();
  };

/** An HTTPS response written by hand: status line, headers, then `body` (string, or a script for what follows). */
export function httpAnswer(status: number, headers: Record<string, string>, body: string): string {
  return `HTTP/1.1 ${status} X\r\n${Object.entries({ connection: 'close', ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n${body}`;
}

/** Reads an HTTP request's head and body (content-length) from a raw socket. */
export function readHttpRequest(socket: Socket): Promise<{ head: string; body: string }> {
  return new Promise((resolve) => {
    let data = '';
    const onData = (d: Buffer) => {
      data += d.toString('utf8');
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/content-length: *(\d+)/i.exec(data.slice(0, end))?.[1] ?? 0);
      if (data.length - end - 4 < length) return;
      socket.off('data', onData);
      resolve({ head: data.slice(0, end), body: data.slice(end + 4, end + 4 + length) });
    };
    socket.on('data', onData);
  });
}
