// readExisting: what stands at a path in the (untrusted) output folder, read within a size bound.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readExisting } from '../src/write/output-folder.ts';
import { tempDir } from './helpers/cli.ts';

const t = tempDir();
test.after(() => t.done());

test('a file within the bound is read whole; one over it, a folder, a link are named, not read', async () => {
  writeFileSync(join(t.path, 'small.md'), 'héllo');
  assert.equal(await readExisting(join(t.path, 'small.md'), 6), { kind: 'file', text: 'héllo' });
  writeFileSync(join(t.path, 'big.md'), 'x'.repeat(20));
  assert.equal(await readExisting(join(t.path, 'big.md'), 10), { kind: 'other', what: 'a file of 20 bytes' });
  writeFileSync(join(t.path, 'empty.md'), '');
  assert.equal(await readExisting(join(t.path, 'empty.md'), 10), { kind: 'file', text: '' });
  mkdirSync(join(t.path, 'dir'));
  assert.equal(await readExisting(join(t.path, 'dir'), 10), { kind: 'other', what: 'a folder' });
  symlinkSync(join(t.path, 'small.md'), join(t.path, 'link.md'));
  assert.equal(await readExisting(join(t.path, 'link.md'), 10), { kind: 'other', what: 'a symbolic link' });
  assert.equal(await readExisting(join(t.path, 'none.md'), 10), { kind: 'absent' });
});

// A file with more content than stat said (as a file still being written): /proc files report size 0.
test('content beyond the size stat gave is read while within the bound, and refused past it', async () => {
  const grows = '/proc/self/status';
  if (!existsSync(grows)) return;
  const whole = await readExisting(grows, 1024 * 1024);
  assert.is(whole.kind, 'file');
  assert.match((whole as { text: string }).text, /^Name:/);
  assert.equal(await readExisting(grows, 10), { kind: 'other', what: 'a file that keeps growing' });
});

test.run();
