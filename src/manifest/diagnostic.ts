export type Severity = 'error' | 'warning';

/** A problem in a user's file, pointing at the place to fix. Never carries a secret value. */
export interface Diagnostic {
  file: string;
  line: number; // 1-based
  column: number; // 1-based
  severity: Severity;
  code: string; // stable kebab-case id
  message: string; // what was found
  expected?: string;
  fix?: string;
  /** Where in the manifest's data, when known: ["environments", "test", "app", "clientId"]. */
  path?: readonly (string | number)[];
  /** Offset range in the source, for the excerpt. */
  offset?: number;
  length?: number;
}

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');

export const byPosition = (a: Diagnostic, b: Diagnostic): number =>
  a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
