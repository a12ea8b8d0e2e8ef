import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { root } from './helpers/cli.ts';

// `npm run try-verify`, as the README's walkthrough has a newcomer run it: a pass, then each usual mistake named
// with its step, against the loopback fakes.
test('try-verify shows a passing setup, then a wrong secret, missing consent and missing FullAccess, each with its step', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/try-verify.ts'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, HTTPS_PROXY: undefined, https_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined },
  });
  assert.is(r.status, 0, r.stderr);
  const parts = r.stdout.split('\n## ').slice(1);
  assert.equal(
    parts.map((p) => /\(exit (\d)\)/.exec(p)?.[1]),
    ['0', '1', '1', '1'],
  );
  assert.match(parts[0]!, /PASSED: \d+ passed, 0 failed/);
  assert.match(parts[1]!, /FAIL {2}Token from Microsoft Entra ID {7}AADSTS7000215/);
  assert.match(parts[1]!, /redo: Step 4: Create a client secret and copy its Value/);
  assert.match(parts[2]!, /FAIL {2}Token roles {25}missing IMAP\.AccessAsApp, SMTP\.SendAsApp/);
  assert.match(parts[2]!, /redo: Step 3: Grant admin consent/);
  assert.match(parts[3]!, /FAIL {2}IMAP hr-test@contoso\.com/);
  assert.match(parts[3]!, /redo: Step 7: Grant the app access to each mailbox/);
  assert.not.match(r.stdout, /Cn4r8Q~yT3s7|Wr0ng~Secret/, 'no secret is printed');
});

test.run();
