import { createHash } from 'node:crypto';

/**
 * Exchange's limit on the names the script creates: New-ManagementScope -Name "can be up to 64 characters" and
 * New-ManagementRoleAssignment -Name "The maximum length of the name is 64 characters" (Exchange PowerShell cmdlet
 * reference). Counted as .NET counts a string's length (UTF-16 code units), the stricter reading for non-ASCII.
 */
export const exchangeNameMax = 64;

/**
 * The name as is when it fits; otherwise its head (cut, never inside a character), a `~` and eight hex digits of the
 * whole name's SHA-256, then its tail (the part that says what the object is). Deterministic, so every run of the
 * script finds the object it created, and two long names that differ anywhere differ after shortening too.
 */
export function exchangeName(head: string, tail: string, max = exchangeNameMax): string {
  const full = `${head}${tail}`;
  if (full.length <= max) return full;
  const hash = `~${createHash('sha256').update(full, 'utf8').digest('hex').slice(0, 8)}`;
  const room = max - tail.length - hash.length;
  if (room < 1)
    throw new Error(`exchangeName: the tail ${JSON.stringify(tail)} leaves no room within ${max} characters`);
  let kept = '';
  for (const ch of head) {
    if (kept.length + ch.length > room) break;
    kept += ch;
  }
  return `${kept.trimEnd()}${hash}${tail}`;
}

/**
 * The management scope's and the role assignment's names for one environment's app. Exchange names are tenant-wide,
 * so they hold the company, the project, the environment and — once the manifest knows it — the first block of the
 * app's client ID: two apps (another company's project of the same name, a second registration) never share a name.
 * The scripts still decide what is the app's by the assignment's assignee, never by name alone.
 */
export function rbacNames(
  company: string,
  project: string,
  environment: string,
  clientId: string | null,
): { scopeName: string; assignmentName: string } {
  const head = `Bizagi ${company} ${project} ${environment}`;
  const app = clientId ? ` ${clientId.slice(0, 8).toLowerCase()}` : '';
  return {
    scopeName: exchangeName(head, `${app} SMTP senders`),
    assignmentName: exchangeName(head, `${app} SMTP.SendAsApp`),
  };
}
