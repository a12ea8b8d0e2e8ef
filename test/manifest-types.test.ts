import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { manifestSchema } from '../src/manifest/schema.ts';
import { enums, typeKeys } from '../src/manifest/types.ts';

type S = {
  properties?: Record<string, S>;
  $defs?: Record<string, S>;
  additionalProperties?: S | boolean;
  items?: S;
  enum?: string[];
  $ref?: string;
  description?: string;
};
const schema = manifestSchema as S;
const defs = schema.$defs!;
const env = defs.environment!;
const props = (s: S | undefined) => Object.keys(s?.properties ?? {}).sort();

test('TypeScript types and the JSON Schema name the same keys', () => {
  const pairs: [string[], S | undefined][] = [
    [typeKeys.manifest, schema],
    [typeKeys.tenant, schema.properties!.tenant],
    [typeKeys.bizagi, schema.properties!.bizagi],
    [typeKeys.contacts, schema.properties!.contacts],
    [typeKeys.environment, env],
    [typeKeys.app, env.properties!.app],
    [typeKeys.secret, env.properties!.app!.properties!.secret],
    [typeKeys.smtp, env.properties!.smtp],
    [typeKeys.mailbox, env.properties!.mailboxes!.items],
  ];
  for (const [keys, s] of pairs) assert.equal([...keys].sort(), props(s));
});

test('TypeScript enums and the JSON Schema agree', () => {
  assert.equal(enums.cloud, schema.properties!.tenant!.properties!.cloud!.enum);
  assert.equal(enums.hosting, schema.properties!.bizagi!.properties!.hosting!.enum);
  assert.equal(enums.protocol, env.properties!.mailboxes!.items!.properties!.protocols!.items!.enum);
  assert.equal(enums.smtpAccess, env.properties!.smtp!.properties!.access!.enum);
  assert.equal(enums.state, env.properties!.state!.enum);
  assert.equal(enums.state, env.properties!.mailboxes!.items!.properties!.state!.enum);
});

test('every property in the schema has a description', () => {
  const missing: string[] = [];
  const walk = (s: S, at: string) => {
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      if (!v.description) missing.push(`${at}.${k}`);
      walk(v, `${at}.${k}`);
    }
    if (s.items) walk(s.items, `${at}[]`);
  };
  walk(schema, '');
  for (const [k, v] of Object.entries(defs)) walk(v, `$defs.${k}`);
  assert.equal(missing, []);
});

test.run();
