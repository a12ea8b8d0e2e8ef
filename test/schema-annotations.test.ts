import { test } from 'uvu';
import * as assert from 'uvu/assert';
import AjvModule from 'ajv/dist/2020.js';
import { manifestSchema } from '../src/manifest/schema.ts';
import { ajvOptions } from '../src/manifest/load-validator.ts';
import { formats } from '../src/manifest/formats.ts';

type Node = Record<string, unknown>;

/** Every property schema of the manifest, with its path. */
function properties(node: unknown, path: string, out: [string, Node][] = []): [string, Node][] {
  if (!node || typeof node !== 'object') return out;
  const n = node as Node;
  for (const [name, child] of Object.entries((n.properties as Record<string, Node> | undefined) ?? {})) {
    out.push([`${path}.${name}`, child]);
    properties(child, `${path}.${name}`, out);
  }
  for (const [key, child] of Object.entries(n))
    if (key !== 'properties' && child && typeof child === 'object') properties(child, `${path}/${key}`, out);
  return out;
}

test("every field has a title, examples (its own or its type's), a description and a markdownDescription for hovers", () => {
  const defs = (manifestSchema as { $defs: Record<string, Node> }).$defs;
  const all = properties(manifestSchema, '');
  assert.ok(all.length >= 28);
  const titles = new Set<string>();
  for (const [path, p] of all) {
    const def = typeof p.$ref === 'string' ? defs[p.$ref.replace('#/$defs/', '')] : undefined;
    assert.type(p.title, 'string', `${path} has a title`);
    titles.add(p.title as string);
    assert.ok(
      Array.isArray(p.examples) || Array.isArray(def?.examples) || Array.isArray(p.enum) || p.const !== undefined,
      `${path} has examples`,
    );
    assert.type(p.markdownDescription, 'string', `${path} has a markdownDescription`);
    assert.type(p.description, 'string', `${path} has a description`);
  }
  assert.is(titles.size, all.length, 'no two fields share a title, so hovers are not all headed alike');
});

test('every pattern has a readable message for the editor instead of the regex', () => {
  const missing: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (typeof n.pattern === 'string' && typeof n.patternErrorMessage !== 'string') missing.push(path);
    for (const [k, v] of Object.entries(n)) walk(v, `${path}/${k}`);
  };
  walk(manifestSchema, '');
  assert.equal(missing, []);
});

test('the annotated schema compiles in ajv strict mode, and examples of whole objects validate', () => {
  const ajv = new AjvModule.default({ ...ajvOptions, formats });
  const validate = ajv.compile(manifestSchema);
  const tenant = (manifestSchema as { properties: { tenant: { examples: unknown[] } } }).properties.tenant.examples[0];
  const env = (manifestSchema as { properties: { environments: { examples: Record<string, unknown>[] } } }).properties
    .environments.examples[0];
  const ok = validate({ version: 1, tenant, bizagi: { company: 'contoso', project: 'hr' }, environments: env });
  assert.ok(ok, JSON.stringify(validate.errors));
});

test.run();
