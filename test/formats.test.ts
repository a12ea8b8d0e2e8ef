import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formats } from '../src/manifest/formats.ts';

test('uri: RFC 3986 characters only, parseable, with a scheme', () => {
  for (const ok of [
    'https://test-hr-contoso.bizagi.com',
    'https://bizagi.contoso.com/hr/',
    "https://x.com/a'b!$&()*+,;=:@~_.-",
    'https://[::1]:8443/p',
    'https://x.com/%20',
  ]) {
    assert.ok(formats.uri(ok), ok);
  }
  for (const bad of [
    'https//x.com',
    'x.com',
    'https://x.com/a b',
    'https://x.com/{x}',
    'https://x.com/a|b',
    'https://x.com/`',
    'https://x.com/%zz',
    'https://',
    'http://[bad',
    '',
  ]) {
    assert.not.ok(formats.uri(bad), bad);
  }
});

test('date: real calendar dates only', () => {
  assert.ok(formats.date('2028-02-29'));
  assert.not.ok(formats.date('2027-02-29'));
  assert.not.ok(formats.date('2027-13-01'));
  assert.not.ok(formats.date('27-01-01'));
});

test('email: the address shapes Exchange accepts', () => {
  assert.ok(formats.email.test("o'brien@contoso.com"));
  assert.not.ok(formats.email.test('a..b@contoso.com'));
  assert.not.ok(formats.email.test('hr@'));
});

test.run();
