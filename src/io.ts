/** Everything a command may touch of the outside world, passed in so commands stay testable and deterministic. */
export interface Io {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };
  now: () => Date;
}

export interface Output {
  write(s: string): unknown;
  isTTY?: boolean;
}

/** Colour is decided once, here: only on a terminal, never with NO_COLOR or TERM=dumb; FORCE_COLOR forces it. */
export function useColor(out: Output, env: Io['env']): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(out.isTTY) && env.TERM !== 'dumb';
}

export const today = (io: Io): string => io.now().toISOString().slice(0, 10);
