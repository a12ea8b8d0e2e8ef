import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closest, distance } from '../src/manifest/suggest.ts';
import { findSecretValues, maskSecrets } from '../src/manifest/secrets.ts';

test('distance counts edits, with a transposition as one', () => {
  assert.is(distance('projetc', 'project'), 1);
  assert.is(distance('clientid', 'clientid'), 0);
  assert.is(distance('imaps', 'imap'), 1);
});

test('closest suggests only likely typos', () => {
  assert.is(closest('clientID', ['displayName', 'clientId', 'secret']), 'clientId');
  assert.is(closest('globl', ['global', 'usgov', 'china']), 'global');
  assert.is(closest('zzzzzz', ['global', 'usgov']), undefined);
});

test('secret values are found and masked without moving offsets', () => {
  const s = 'a: Zx98Q~Kq0.mNbVcXzAsDfGhJkLpOiUyTrEwQ1234\nb: not-a-secret';
  const hits = findSecretValues(s);
  assert.is(hits.length, 1);
  const masked = maskSecrets(s, hits);
  assert.is(masked.length, s.length);
  assert.not.match(masked, /Q~/);
  assert.is(findSecretValues('id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b').length, 0);
});

test.run();
