// The three string formats the manifest schema uses: email and date copied from ajv-formats (MIT, Evgeny
// Poberezkin), so the CLI does not load and build at start-up the regular expressions of every format it knows.

const email =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

function isLeapYear(year: number): boolean {
  // https://tools.ietf.org/html/rfc3339#appendix-C
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}
const DATE = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function date(str: string): boolean {
  // full-date from http://tools.ietf.org/html/rfc3339#section-5.6
  const matches = DATE.exec(str);
  if (!matches) return false;
  const year = +matches[1]!;
  const month = +matches[2]!;
  const day = +matches[3]!;
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && isLeapYear(year) ? 29 : DAYS[month]!);
}

// ajv-formats' "uri" is a 3 KB regular expression whose compilation alone took 3 ms of every run. This check is
// as strict for a manifest's URLs: only characters RFC 3986 allows, well-formed percent escapes, a scheme, and a
// string the WHATWG URL parser (the one Node and browsers use) accepts.
const URI_CHARS = /^[a-z][a-z0-9+.-]*:(?:[a-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9a-f]{2})*$/i;
function uri(str: string): boolean {
  if (!URI_CHARS.test(str)) return false;
  try {
    new URL(str);
    return true;
  } catch {
    return false;
  }
}

export const formats = { email, uri, date };
