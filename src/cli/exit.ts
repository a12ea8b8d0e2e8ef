import { ExitCode, ReportedError, UsageError } from '../errors.ts';
import type { Io } from '../io.ts';
import { stackFrames } from './debug.ts';

/** Prints what the user needs for an error that reached the top, and returns its exit code. */
export function exitCodeFor(e: unknown, io: Io, debug = false): number {
  if (e instanceof ReportedError) return e.exitCode;
  if (e instanceof UsageError) {
    io.stderr.write(`error [${e.code}]: ${e.message}\n${e.fix ? `  fix: ${e.fix}\n` : ''}`);
    return ExitCode.badInput;
  }
  // A bug: say so plainly. The message only; stacks can carry request bodies from dependencies.
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  io.stderr.write(`internal error (this is a bug in mail-oauth-runbook, please report it): ${message}\n`);
  if (debug) io.stderr.write(`${stackFrames(e)}\n`);
  else
    io.stderr.write(
      '  run again with --debug (or DEBUG=mail-oauth-runbook) for the stack trace to put in the report\n',
    );
  return ExitCode.internal;
}
