import { ExitCode, ReportedError, UsageError } from '../errors.ts';
import type { Io } from './io.ts';

/** Prints what the user needs for an error that reached the top, and returns its exit code. */
export function exitCodeFor(e: unknown, io: Io): number {
  if (e instanceof ReportedError) return e.exitCode;
  if (e instanceof UsageError) {
    io.stderr.write(`error [${e.code}]: ${e.message}\n${e.fix ? `  fix: ${e.fix}\n` : ''}`);
    return ExitCode.badInput;
  }
  // A bug: say so plainly. The message only; stacks can carry request bodies from dependencies.
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  io.stderr.write(`internal error (this is a bug in mail-oauth-runbook, please report it): ${message}\n`);
  return ExitCode.internal;
}
