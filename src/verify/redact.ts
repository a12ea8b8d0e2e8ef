import type { Output } from '../cli/io.ts';

/** Replaces every occurrence of the given secrets (and their base64 forms) with [REDACTED]. */
export function redactor(secrets: () => readonly string[]): (text: string) => string {
  return (text) => {
    let out = text;
    for (const s of secrets()) {
      if (s.length < 4) continue;
      for (const form of [s, Buffer.from(s).toString('base64'), encodeURIComponent(s)]) out = out.split(form).join('[REDACTED]');
    }
    return out;
  };
}

/** An output that redacts before writing: the last line of defence for anything verify prints. */
export function redactingOutput(out: Output, redact: (t: string) => string): Output {
  return { write: (s: string) => out.write(redact(s)), isTTY: out.isTTY };
}
