/** The payload of a JWT, without checking its signature (Exchange does that; we only read what it claims). */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    return payload && typeof payload === 'object' && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Claims that are safe to show and keep in a report: identifiers and times, never the token itself. */
export const reportableClaims = [
  'aud',
  'iss',
  'tid',
  'appid',
  'azp',
  'roles',
  'ver',
  'iat',
  'nbf',
  'exp',
  'oid',
  'app_displayname',
] as const;
type Claim = (typeof reportableClaims)[number];

/** The type each claim must have; a token is read only through these, so no claim reaches code as something else. */
const claimTypes: Record<Claim, 'string' | 'number' | 'strings' | 'string or strings'> = {
  // A JWT's audience may be a list (RFC 7519, 4.1.3); Entra ID's tokens carry one string.
  aud: 'string or strings',
  iss: 'string',
  tid: 'string',
  appid: 'string',
  azp: 'string',
  roles: 'strings',
  ver: 'string',
  iat: 'number',
  nbf: 'number',
  exp: 'number',
  oid: 'string',
  app_displayname: 'string',
};
const typeWords = {
  string: 'a string',
  number: 'a number',
  strings: 'a list of strings',
  'string or strings': 'a string or a list of strings',
} as const;

export interface TypedClaims {
  /** Claims present and of their type; a claim of another type is left out and named in `problems`. */
  claims: Partial<Record<Claim, string | number | string[]>>;
  problems: string[];
}

export function typedClaims(payload: Record<string, unknown>): TypedClaims {
  const claims: TypedClaims['claims'] = {};
  const problems: string[] = [];
  for (const k of reportableClaims) {
    if (!Object.prototype.hasOwnProperty.call(payload, k) || payload[k] === undefined) continue;
    const v = payload[k];
    const want = claimTypes[k];
    const strings = Array.isArray(v) && v.every((x) => typeof x === 'string');
    const ok =
      want === 'strings'
        ? strings
        : want === 'number'
          ? typeof v === 'number' && Number.isFinite(v)
          : typeof v === 'string' || (want === 'string or strings' && strings);
    if (ok) claims[k] = v as string | number | string[];
    else problems.push(`${k} is not ${typeWords[want]}`);
  }
  return { claims, problems };
}

export const safeClaims = (payload: Record<string, unknown>): Record<string, unknown> => typedClaims(payload).claims;

/** The roles a token carries, or none when the claim is missing or not a list of strings. */
export const tokenRoles = (payload: Record<string, unknown> | undefined): string[] =>
  payload ? ((typedClaims(payload).claims.roles as string[] | undefined) ?? []) : [];
