/** The payload of a JWT, without checking its signature (Exchange does that; we only read what it claims). */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Claims that are safe to show and keep in a report: identifiers and times, never the token itself. */
export const reportableClaims = ['aud', 'iss', 'tid', 'appid', 'azp', 'roles', 'ver', 'iat', 'nbf', 'exp', 'oid', 'app_displayname'] as const;

export function safeClaims(payload: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(reportableClaims.filter((k) => k in payload).map((k) => [k, payload[k]]));
}
