// Errors that end a command. Each carries a stable code; src/cli/exit.ts is the one place that turns them into exit codes.

export const ExitCode = { ok: 0, checkFailed: 1, badInput: 2, internal: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The user asked for something we cannot do (bad flag, missing file, unwritable folder): exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    readonly code: string,
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}

/** Already reported to the user in full (diagnostics, a check's report); only the exit code is left to set. */
export class ReportedError extends Error {
  override readonly name = 'ReportedError';
  constructor(readonly exitCode: ExitCode) {
    super(`exit ${exitCode}`);
  }
}
