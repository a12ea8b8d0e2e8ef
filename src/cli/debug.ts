/** `--debug` anywhere before `--`, or `mail-oauth-runbook` in the comma-separated DEBUG variable (as the debug package reads it). */
export function debugRequested(argv: readonly string[], env: Record<string, string | undefined>): boolean {
  const end = argv.indexOf('--');
  return (
    (end === -1 ? argv : argv.slice(0, end)).includes('--debug') ||
    (env.DEBUG ?? '').split(/[\s,]+/).some((d) => d === 'mail-oauth-runbook' || d === '*')
  );
}

/** The arguments without `--debug`, which is handled here for every command rather than by each one. */
export function withoutDebugFlag(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return argv.filter((a, i) => a !== '--debug' || (end !== -1 && i > end));
}

/**
 * The stack's frames only: the message above them is already printed (redacted where it can hold a secret), and
 * some dependencies put request bodies into messages, so no line of the message is repeated here.
 */
export function stackFrames(e: unknown): string {
  if (!(e instanceof Error) || !e.stack) return '';
  return e.stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .join('\n');
}
