import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { cliPath, root, runCli, type Result } from './helpers/cli.ts';
import { canarySecret, startWorld, tls, type World } from './helpers/world.ts';
import {
  endless,
  httpAnswer,
  readHttpRequest,
  silent,
  startTcpScript,
  startTlsScript,
  trickle,
  type HostileServer,
} from './helpers/fake-hostile.ts';
import { startFakeProxy } from './helpers/fake-proxy.ts';
import { echoForms } from './helpers/fake-entra.ts';
import { encodedForms } from '../src/verify/report/redact.ts';
import { TLSSocket } from 'node:tls';
import selfsigned from 'selfsigned';

async function otherCertificate(commonName: string): Promise<{ key: string; cert: string }> {
  const p = (await selfsigned.generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  })) as { private: string; cert: string };
  return { key: p.private, cert: p.cert };
}

// verify against servers that misbehave: silent, trickling, endless, echoing, escape-sequence sending. Every run
// goes through the built CLI; every byte it prints or writes is scanned at the end for the secret and the tokens in
// any encoding, and for control characters.

const example = readFileSync(join(root, 'runbooks/contoso-hr.yaml'), 'utf8');
const outputs: string[] = [];
const tokens: string[] = [];

interface Json {
  result: string;
  durationMs: number;
  checks: {
    id: string;
    status: string;
    detail: string;
    elapsedMs?: number;
    diagnosis?: { cause: string; advice: string | null };
  }[];
  claims: Record<string, unknown> | null;
}

/** Runs verify on the test environment with `protocols` for its one mailbox; `override` flags come last and win. */
async function verify(
  w: World,
  flags: string[],
  opts: { protocols?: string; env?: Record<string, string | undefined>; input?: string; manifest?: string } = {},
): Promise<Result & { ms: number }> {
  const file = join(w.dir, `m${outputs.length}.yaml`);
  writeFileSync(
    file,
    opts.manifest ??
      example.replace(
        '        protocols: [imap, smtp]\n  production',
        `        protocols: [${opts.protocols ?? 'imap, smtp'}]\n  production`,
      ),
  );
  const started = Date.now();
  const r = await runCli(['verify', file, '--env', 'test', ...w.args, ...flags], {
    env: { ...w.env, ...opts.env },
    input: opts.input,
    timeoutMs: 60_000,
  });
  outputs.push(r.stdout, r.stderr);
  return { ...r, ms: Date.now() - started };
}

function json(r: Result): Json {
  try {
    return JSON.parse(r.stdout) as Json;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}${r.stderr}`);
  }
}
const check = (j: Json, id: string) => j.checks.find((c) => c.id === id || c.id.startsWith(id))!;

function collectTokens(w: World) {
  for (const line of [...w.imap.received, ...w.pop.received, ...w.smtp.received]) {
    const decoded = Buffer.from(line.split(' ').pop() ?? '', 'base64').toString('utf8');
    const m = /auth=Bearer ([^\x01]+)/.exec(decoded) ?? /(ey[\w-]+\.[\w-]+\.[\w-]+)/.exec(line);
    if (m) tokens.push(m[1]!);
  }
}

const H = suite('verify against hostile servers');
let w: World;
const servers: HostileServer[] = [];
H.before.each(async () => {
  w = await startWorld();
  w.entra.behaviour.apps[0]!.roles = ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp'];
});
H.after.each(async () => {
  collectTokens(w);
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await w.close();
});
const hostile = async (s: Promise<HostileServer>) => {
  const server = await s;
  servers.push(server);
  return server;
};

// The slack the issue allows over a limit: elapsed ≤ limit + 0.5 s, measured as the run's own duration (--json).
const slackMs = 500;

H(
  '--timeout is wall-clock for the token request: a silent and a trickling endpoint both stop at the limit',
  async () => {
    const quiet = await hostile(startTlsScript(await tls(), silent));
    let r = await verify(w, ['--json', '--timeout', '2', '--authority-host', `https://127.0.0.1:${quiet.port}`]);
    assert.is(r.code, 1, r.stderr);
    let j = json(r);
    assert.match(check(j, 'token').detail, /^connected to 127\.0\.0\.1:\d+, then no answer within 2 s$/);
    assert.not.match(check(j, 'token').diagnosis!.cause, /firewall/);
    assert.ok(
      check(j, 'token').elapsedMs! <= 2000 + slackMs,
      `silent token endpoint: limit 2000 ms, elapsed ${check(j, 'token').elapsedMs} ms`,
    );
    console.log(
      `  measured: silent token endpoint, --timeout 2: token ${check(j, 'token').elapsedMs} ms, run ${j.durationMs} ms, process ${r.ms} ms`,
    );

    // One byte every 100 ms of a never-ending HTTP answer: each byte would reset an idle timer.
    const slow = await hostile(
      startTlsScript(await tls(), async (socket) => {
        await readHttpRequest(socket);
        trickle(
          httpAnswer(
            200,
            { 'content-type': 'application/json', 'content-length': '100000' },
            '{"token_type":"Bearer","access_token":"',
          ) + 'a'.repeat(100_000),
          100,
        )(socket, [] as never, []);
      }),
    );
    r = await verify(w, ['--json', '--timeout', '2', '--authority-host', `https://127.0.0.1:${slow.port}`]);
    j = json(r);
    assert.match(
      check(j, 'token').detail,
      /^connected to 127\.0\.0\.1:\d+, but it was still sending its answer after 2 s/,
      check(j, 'token').detail,
    );
    assert.ok(
      check(j, 'token').elapsedMs! <= 2000 + slackMs,
      `trickling token endpoint: limit 2000 ms, elapsed ${check(j, 'token').elapsedMs} ms`,
    );
    console.log(
      `  measured: trickling token endpoint, --timeout 2: token ${check(j, 'token').elapsedMs} ms, run ${j.durationMs} ms, process ${r.ms} ms`,
    );

    // Nothing listening behind a port that accepts nothing at all is not "connected".
    const tcp = await hostile(startTcpScript(silent));
    r = await verify(w, ['--json', '--timeout', '1', '--authority-host', `https://127.0.0.1:${tcp.port}`]);
    j = json(r);
    assert.match(
      check(j, 'token').detail,
      /^connected to 127\.0\.0\.1:\d+, then no answer within 1 s$/,
      'TCP accepted, TLS never answered',
    );
    assert.ok(
      check(j, 'token').elapsedMs! <= 1000 + slackMs,
      `silent TCP: limit 1000 ms, elapsed ${check(j, 'token').elapsedMs} ms`,
    );
  },
);

H('--timeout is wall-clock for each login: silent, stopped-after-greeting and trickling mail servers', async () => {
  const t = await tls();
  const cases: [string, string, HostileServer, RegExp][] = [
    ['imap', '--imap', await hostile(startTlsScript(t, silent)), /then no answer within 2 s/],
    [
      'pop',
      '--pop',
      await hostile(startTlsScript(t, (s) => void s.write('+OK ready\r\n'))),
      /then no answer within 2 s/,
    ],
    ['smtp', '--smtp', await hostile(startTcpScript(silent)), /then no answer within 2 s/],
    [
      'pop',
      '--pop',
      await hostile(startTlsScript(t, trickle('+OK the slowest greeting in the world', 100))),
      /still sending its answer after 2 s/,
    ],
    [
      'imap',
      '--imap',
      await hostile(startTlsScript(t, trickle('* OK IMAP4 ready, very slowly', 100))),
      /still sending its answer after 2 s/,
    ],
  ];
  for (const [protocol, flag, server, detail] of cases) {
    const r = await verify(w, ['--json', '--timeout', '2', flag, `127.0.0.1:${server.port}`], { protocols: protocol });
    assert.is(r.code, 1, r.stderr);
    const j = json(r);
    const login = check(j, `login-${protocol}-`);
    assert.match(login.detail, detail, `${protocol}: ${login.detail}`);
    assert.match(login.detail, /^connected to 127\.0\.0\.1:\d+/);
    assert.ok(
      login.elapsedMs! <= 2000 + slackMs,
      `${protocol} (${detail.source}): limit 2000 ms, elapsed ${login.elapsedMs} ms`,
    );
    console.log(
      `  measured: ${protocol} login, ${detail.source}, --timeout 2: login ${login.elapsedMs} ms, run ${j.durationMs} ms, process ${r.ms} ms`,
    );
  }
});

H('--deadline bounds the whole run; steps it stops say so; both limits must fit Node timers', async () => {
  const t = await tls();
  const quiet = await hostile(startTlsScript(t, silent));
  let r = await verify(w, [
    '--json',
    '--timeout',
    '30',
    '--deadline',
    '2',
    '--concurrency',
    '1',
    '--imap',
    `127.0.0.1:${quiet.port}`,
    '--smtp',
    `127.0.0.1:${quiet.port}`,
  ]);
  assert.is(r.code, 1, r.stderr);
  const j = json(r);
  assert.ok(j.durationMs <= 2000 + slackMs, `--deadline 2: elapsed ${j.durationMs} ms`);
  assert.match(check(j, 'login-imap-').detail, /stopped when the --deadline ran out/);
  assert.match(check(j, 'login-smtp-').detail, /not tried: the --deadline ran out/);
  assert.match(check(j, 'login-smtp-').diagnosis!.cause, /--deadline/);
  console.log(
    `  measured: --deadline 2 with --timeout 30 and two silent logins: run ${j.durationMs} ms, process ${r.ms} ms`,
  );

  for (const [flags, message] of [
    [['--concurrency', '0.5'], /--concurrency must be a whole number from 1 to 64, not "0\.5"/],
    [['--concurrency', '0'], /--concurrency must be a whole number/],
    [['--concurrency', '1e9'], /--concurrency must be a whole number/],
    [['--timeout', '0'], /--timeout must be a positive number of seconds/],
    [['--timeout', 'abc'], /--timeout must be a positive number of seconds/],
    [['--timeout', '2147484'], /--timeout 2147484 is longer than the longest time limit Node can keep \(2147483 s\)/],
    [['--deadline', '1e12'], /--deadline 1e12 is longer than the longest time limit/],
    [['--deadline', '-1'], /--deadline must be a positive number/],
  ] as const) {
    r = await verify(w, [...flags]);
    assert.is(r.code, 2, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.not.match(r.stderr, /internal error/);
  }
  assert.is(w.entra.requests.length, 1, 'bad flags stop verify before any request');
});

H('endless answers are cut at their cap: token body, and an IMAP, POP or SMTP line without an end', async () => {
  const t = await tls();
  const body = await hostile(
    startTlsScript(t, async (socket) => {
      await readHttpRequest(socket);
      endless(httpAnswer(200, { 'content-type': 'application/json' }, '{"access_token":"'), 'A'.repeat(65536))(
        socket,
        [] as never,
        [],
      );
    }),
  );
  let r = await verify(w, ['--json', '--authority-host', `https://127.0.0.1:${body.port}`]);
  assert.is(r.code, 1, r.stderr);
  assert.match(
    check(json(r), 'token').detail,
    /^127\.0\.0\.1:\d+ sent an answer longer than 262144 bytes; stopped reading$/,
  );
  assert.ok(r.ms < 10_000, `endless body: ${r.ms} ms`);

  const line = 'x'.repeat(65536);
  const cases: [string, string, HostileServer, RegExp][] = [
    [
      'imap',
      '--imap',
      await hostile(startTlsScript(t, endless('* OK ', line))),
      /sent a response longer than 65536 bytes/,
    ],
    ['pop', '--pop', await hostile(startTlsScript(t, endless('+OK ', line))), /sent a line longer than 65536 bytes/],
    ['smtp', '--smtp', await hostile(startTcpScript(endless('220 ', line))), /sent a response longer than 65536 bytes/],
  ];
  for (const [protocol, flag, server, detail] of cases) {
    r = await verify(w, ['--json', flag, `127.0.0.1:${server.port}`], { protocols: protocol });
    assert.is(r.code, 1, r.stderr);
    assert.match(check(json(r), `login-${protocol}-`).detail, detail, protocol);
    assert.ok(r.ms < 10_000, `${protocol} endless line: ${r.ms} ms`);
  }
});

H(
  'echoed secrets and tokens are redacted in every encoding, in the terminal, --json, --report and --trace',
  async () => {
    // A secret with the characters JSON escapes: before, its escaped form slipped past the redactor in --json.
    const tricky = 'Q"uo\\te~Secret-Value_0123456789abcdef';
    w.entra.behaviour.apps[0]!.secret = tricky;
    w.entra.behaviour.echoSecret = true;
    const report = join(w.dir, 'echo.md');
    let r = await verify(w, ['--json', '--report', report], { env: { HR_TEST_MAIL_SECRET: tricky } });
    assert.is(r.code, 1, r.stderr);
    const md = readFileSync(report, 'utf8');
    outputs.push(md);
    for (const out of [r.stdout, r.stderr, md]) {
      for (const form of encodedForms(tricky))
        assert.not.ok(out.includes(form), `a form of the secret leaked: ${form}`);
    }
    assert.match(
      check(json(r), 'token').detail,
      /\[REDACTED\] \| \[REDACTED\] \| \[REDACTED\] \| \[REDACTED\] \| \[REDACTED\]/,
    );
    r = await verify(w, [], { env: { HR_TEST_MAIL_SECRET: tricky } });
    for (const form of encodedForms(tricky)) assert.not.ok(r.stdout.includes(form), `terminal: ${form}`);
    w.entra.behaviour.echoSecret = false;
    w.entra.behaviour.apps[0]!.secret = canarySecret;

    // A POP server that answers the XOAUTH2 response by echoing it back: base64 of "user=…\x01auth=Bearer <token>".
    const t = await tls();
    const echo = await hostile(
      startTlsScript(t, async (socket, lines) => {
        socket.write('+OK ready\r\n');
        for await (const line of lines) {
          if (line === 'AUTH XOAUTH2') socket.write('+ \r\n');
          else if (line === 'QUIT') socket.end('+OK\r\n');
          else socket.write(`-ERR no such thing as ${line} or ${encodeURIComponent(line)}\r\n`);
        }
      }),
    );
    r = await verify(w, ['--trace', '--report', join(w.dir, 'echo2.md'), '--pop', `127.0.0.1:${echo.port}`], {
      protocols: 'pop',
    });
    const sasl = echo.received.find((l) => l.startsWith('dXNlcj'))!;
    assert.ok(sasl, 'the client sent its SASL response');
    const token = /auth=Bearer ([^\x01]+)/.exec(Buffer.from(sasl, 'base64').toString('utf8'))![1]!;
    tokens.push(token);
    const md2 = readFileSync(join(w.dir, 'echo2.md'), 'utf8');
    outputs.push(md2);
    assert.match(r.stdout, /FAIL {2}POP hr-test@contoso\.com +-ERR no such thing as \[REDACTED\]/, r.stdout);
    for (const out of [r.stdout, r.stderr, md2]) {
      assert.not.ok(out.includes(sasl), 'the echoed XOAUTH2 response');
      assert.not.ok(out.includes(encodeURIComponent(sasl)), 'the echoed XOAUTH2 response, URL-encoded');
      for (const form of encodedForms(token)) assert.not.ok(out.includes(form), 'a form of the token leaked');
    }
  },
);

H('an echoed prefix, suffix or 12-character slice of the secret is redacted in every encoding', async () => {
  const tricky = 'Q"uo\\te~Secret-Value_0123456789abcdef';
  const slices = [tricky.slice(0, -1), tricky.slice(1), tricky.slice(12, 24), tricky.slice(3, 15)];
  w.entra.behaviour.apps[0]!.secret = tricky;
  w.entra.behaviour.echoSlices = () => slices;
  const report = join(w.dir, 'slices.md');
  const env = { HR_TEST_MAIL_SECRET: tricky };
  const asJson = await verify(w, ['--json', '--report', report], { env });
  assert.is(asJson.code, 1, asJson.stderr);
  const md = readFileSync(report, 'utf8');
  outputs.push(md);
  const text = await verify(w, [], { env });
  assert.is(text.code, 1, text.stderr);
  const detail = check(json(asJson), 'token').detail;
  // Each form of each slice is one redaction: what is left of the text is the fake's separators.
  assert.is(detail.split(' | ').length, slices.length * echoForms('').length, detail);
  assert.ok(
    detail.split(' | ').every((part) => /\[REDACTED\]/.test(part)),
    `each echoed form is redacted: ${detail}`,
  );
  for (const [name, out] of [
    ['stdout', text.stdout],
    ['--json', asJson.stdout],
    ['--report', md],
  ] as const)
    for (const slice of slices)
      for (const form of echoForms(slice)) assert.not.ok(out.includes(form), `${name}: ${JSON.stringify(form)} leaked`);
  w.entra.behaviour.echoSlices = undefined;
  w.entra.behaviour.apps[0]!.secret = canarySecret;
});

H(
  'escape sequences and odd claim types from servers are neutralised, never crash, and fail the claims check',
  async () => {
    const hostileText = '\x1b]0;owned\x07\x1b[2J\x1b[H\rPASSED: everything is fine\u202e';
    w.entra.behaviour.extraClaims = { roles: [{ toString: 1 }], app_displayname: hostileText, tid: 42 };
    const report = join(w.dir, 'claims.md');
    let r = await verify(w, ['--json', '--report', report]);
    assert.is(r.code, 1, `not a crash (exit 3): ${r.stderr}`);
    const j = json(r);
    assert.match(
      check(j, 'claims').detail,
      /claims of an unexpected type: tid is not a string; roles is not a list of strings/,
    );
    assert.is(j.claims!.app_displayname, '\\x1b]0;owned\\x07\\x1b[2J\\x1b[H\\x0dPASSED: everything is fine\\u202e');
    assert.not.ok('roles' in j.claims!, 'a claim of the wrong type is not kept');
    r = await verify(w, []);
    assert.is(r.code, 1);
    assert.match(r.stdout, /FAIL {2}Token claims +claims of an unexpected type/);
    w.entra.behaviour.extraClaims = undefined;

    const t = await tls();
    const rude = await hostile(
      startTlsScript(t, async (socket, lines) => {
        socket.write(`+OK ${hostileText}\r\n`);
        for await (const line of lines) {
          if (line === 'AUTH XOAUTH2') socket.write('+ \r\n');
          else socket.write(`-ERR \x1b[32mPASS\x1b[0m ${hostileText}\x9b31m\r\n`);
        }
      }),
    );
    r = await verify(w, ['--trace', '--report', report, '--pop', `127.0.0.1:${rude.port}`], { protocols: 'pop' });
    assert.is(r.code, 1);
    const md = readFileSync(report, 'utf8');
    outputs.push(md);
    assert.match(r.stdout, /FAIL {2}POP hr-test@contoso\.com +-ERR \\x1b\[32mPASS\\x1b\[0m \\x1b\]0;owned\\x07/);
    assert.match(r.stderr, /\[POP hr-test@contoso\.com\] S: \+OK \\x1b\]0;owned/);
    assert.match(md, /\\x1b/, 'the report shows the escape as text');
    assert.not.match(md, /\x1b/, 'no raw escape in the report');
  },
);

H(
  'the secret: newline, GUID (env, stdin, prompt), endless stdin, NODE_TLS_REJECT_UNAUTHORIZED=0 — refused before any request',
  async () => {
    let r = await verify(w, [], { env: { HR_TEST_MAIL_SECRET: `${canarySecret}\nsecond-line` } });
    assert.is(r.code, 2);
    assert.match(
      r.stderr,
      /error \[bad-secret\]: the secret from the environment variable HR_TEST_MAIL_SECRET holds a line break or another control character/,
    );
    r = await verify(w, ['--secret-stdin'], { env: { HR_TEST_MAIL_SECRET: undefined }, input: 'x'.repeat(10_000_000) });
    assert.is(r.code, 2);
    assert.match(r.stderr, /standard input holds more than 4096 bytes before its first line break/);
    // A value as short as "fail" would be redacted out of the report's own words (it crashed the JSON output once).
    const before = w.entra.requests.length;
    r = await verify(w, ['--json'], { env: { HR_TEST_MAIL_SECRET: 'fail' } });
    assert.is(r.code, 2);
    assert.match(r.stdout, /"code": "bad-secret"/);
    assert.match(r.stderr, /is 4 characters long: a client secret Value from Microsoft Entra ID has about 40/);
    assert.is(w.entra.requests.length, before, 'nothing was sent');
    const guid = '8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d';
    const idWording =
      /is a GUID: that is the Secret ID, not the secret Value\. The secret is wrong: most often the Secret ID was copied instead of the secret Value\./;
    r = await verify(w, [], { env: { HR_TEST_MAIL_SECRET: guid } });
    assert.is(r.code, 2);
    assert.match(r.stderr, /error \[secret-is-id\]: the secret from the environment variable HR_TEST_MAIL_SECRET/);
    assert.match(r.stderr, idWording);
    r = await verify(w, ['--secret-stdin'], { env: { HR_TEST_MAIL_SECRET: undefined }, input: `${guid}\n` });
    assert.is(r.code, 2);
    assert.match(r.stderr, idWording);
    r = await verify(w, [], { env: { NODE_TLS_REJECT_UNAUTHORIZED: '0' } });
    assert.is(r.code, 2);
    assert.match(
      r.stderr,
      /error \[tls-unverified\]: NODE_TLS_REJECT_UNAUTHORIZED=0 turns off TLS certificate checks, so verify will not run/,
    );
    assert.match(r.stderr, /NODE_EXTRA_CA_CERTS=<ca\.pem>/);

    if (existsSync('/usr/bin/script')) {
      const file = join(w.dir, 'prompt.yaml');
      writeFileSync(file, example);
      const command = ['node', cliPath, 'verify', file, '--env', 'test', '--token-only', ...w.args]
        .map((a) => `'${a}'`)
        .join(' ');
      const out = await new Promise<string>((resolve) => {
        const child = spawn('/usr/bin/script', ['-qec', command, '/dev/null'], {
          env: { ...process.env, ...w.env, HR_TEST_MAIL_SECRET: '', NO_COLOR: '1' },
        });
        let text = '';
        child.stdout.on('data', (d) => {
          text += d;
          if (/input hidden\): $/.test(text)) child.stdin.write(`${guid}\r`);
        });
        child.on('close', () => resolve(text));
      });
      assert.match(out, /the secret from the prompt is a GUID/);
    }
    assert.is(w.entra.requests.length, 0, 'no request was made');
  },
);

H(
  '--report: redacted, 0600, never through a symlink, never over a file verify did not write unless --force',
  async () => {
    const report = join(w.dir, 'record.md');
    let r = await verify(w, ['--report', report]);
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.is(lstatSync(report).mode & 0o777, 0o600);
    assert.match(
      readFileSync(report, 'utf8'),
      /^# Verification record[\s\S]*\n<!-- verification record written by mail-oauth-runbook verify -->\n$/,
    );
    r = await verify(w, ['--report', report]);
    assert.is(r.code, 0, 'its own record is replaced');

    const foreign = join(w.dir, 'notes.md');
    writeFileSync(foreign, 'my notes\n');
    const sent = w.entra.requests.length;
    r = await verify(w, ['--report', foreign]);
    assert.is(r.code, 2);
    assert.is(w.entra.requests.length, sent, 'refused before anything was sent');
    assert.match(
      r.stderr,
      /error \[report-refused\]: will not write the report .*notes\.md: a file that verify did not write is there/,
    );
    assert.match(r.stderr, /--force/);
    assert.is(readFileSync(foreign, 'utf8'), 'my notes\n');
    r = await verify(w, ['--report', foreign, '--force']);
    assert.is(r.code, 0);
    assert.match(readFileSync(foreign, 'utf8'), /# Verification record/);

    // A folder that does not exist, or one verify may not write in: said before anything is sent.
    const before = w.entra.requests.length;
    r = await verify(w, ['--report', join(w.dir, 'no-such-folder', 'record.md')]);
    assert.is(r.code, 2);
    assert.match(r.stderr, /error \[cannot-write\]: cannot write the report .*record\.md: its folder does not exist/);
    if (process.getuid?.() !== 0) {
      const locked = join(w.dir, 'locked');
      mkdirSync(locked, { mode: 0o500 });
      r = await verify(w, ['--report', join(locked, 'record.md')]);
      assert.is(r.code, 2);
      assert.match(r.stderr, /error \[cannot-write\]: cannot write the report .*record\.md \(EACCES\)/);
    }
    assert.is(w.entra.requests.length, before, 'nothing was sent for any of them');

    const elsewhere = join(w.dir, 'elsewhere.txt');
    writeFileSync(elsewhere, 'keep me\n');
    const link = join(w.dir, 'link.md');
    symlinkSync(elsewhere, link);
    for (const flags of [[], ['--force']]) {
      r = await verify(w, ['--report', link, ...flags]);
      assert.is(r.code, 2, flags.join(' '));
      assert.match(r.stderr, /will not write the report .*link\.md: it is a symbolic link/);
      assert.is(readFileSync(elsewhere, 'utf8'), 'keep me\n');
      assert.ok(lstatSync(link).isSymbolicLink());
    }
  },
);

H('network diagnoses name the real cause: a proxy that is down or refuses, an untrusted certificate', async () => {
  const closed = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
  let r = await verify(w, ['--proxy', `http://127.0.0.1:${closed}`]);
  assert.is(r.code, 1);
  assert.match(
    r.stdout,
    new RegExp(`FAIL {2}Token from Microsoft Entra ID +the proxy 127\\.0\\.0\\.1:${closed} refused the connection`),
  );
  assert.match(r.stdout, /cause: The HTTP proxy refused the connection or the tunnel/);
  const refusing = await startFakeProxy({ refuse: true });
  try {
    r = await verify(w, ['--proxy', refusing.url]);
    assert.match(r.stdout, /the proxy 127\.0\.0\.1:\d+ refused the tunnel to 127\.0\.0\.1:\d+: HTTP 403/);
    assert.match(r.stdout, /cause: The HTTP proxy refused/);
  } finally {
    await refusing.close();
  }
  // A login through a proxy that refuses it (the token request bypasses the proxy through NO_PROXY).
  const picky = await startFakeProxy({ refuse: true });
  try {
    r = await verify(w, [], { protocols: 'pop', env: { HTTPS_PROXY: picky.url, NO_PROXY: '127.0.0.1' } });
    assert.is(r.code, 0, 'NO_PROXY: nothing goes through the proxy');
  } finally {
    await picky.close();
  }

  // A certificate this machine does not trust on a login (a TLS-inspecting proxy would re-sign like this): the
  // issuer is shown and the fix given in full, for implicit TLS (POP) and for STARTTLS (SMTP).
  const inspector = await otherCertificate('Contoso TLS Inspection CA');
  const pop = await hostile(startTlsScript(inspector, (socket) => void socket.write('+OK ready\r\n')));
  const smtp = await hostile(
    startTcpScript(async (socket, lines) => {
      socket.write('220 ready\r\n');
      for await (const line of lines) {
        if (/^EHLO/i.test(line)) socket.write('250-hello\r\n250 STARTTLS\r\n');
        else if (/^STARTTLS/i.test(line)) {
          socket.write('220 go ahead\r\n');
          new TLSSocket(socket, { isServer: true, ...inspector }).on('error', () => undefined);
          return;
        } else socket.write('500 what\r\n');
      }
    }),
  );
  for (const [protocol, flag, port] of [
    ['pop', '--pop', pop.port],
    ['smtp', '--smtp', smtp.port],
  ] as const) {
    r = await verify(w, [flag, `127.0.0.1:${port}`], { protocols: protocol });
    assert.is(r.code, 1);
    assert.match(
      r.stdout,
      new RegExp(
        `FAIL {2}${protocol.toUpperCase()} hr-test@contoso\\.com +the certificate of 127\\.0\\.0\\.1:${port} is not trusted by Node\\.js here \\([^)]+\\); it was issued by CN=Contoso TLS Inspection CA`,
      ),
      r.stdout,
    );
    assert.match(
      r.stdout,
      /export its root certificate as Base-64 \(PEM\) and run again with NODE_EXTRA_CA_CERTS naming that file: in PowerShell \$env:NODE_EXTRA_CA_CERTS='C:\\certs\\root\.pem', in bash NODE_EXTRA_CA_CERTS=root\.pem mail-oauth-runbook verify … \(never turn certificate checks off\)\./,
    );
  }
  // The diagnosis is the runbook's own troubleshooting row: same id, same cause.
  r = await verify(w, ['--pop', `127.0.0.1:${pop.port}`, '--json'], { protocols: 'pop' });
  const failed = (
    JSON.parse(r.stdout) as { checks: { status: string; diagnosis?: { id: string; cause: string } }[] }
  ).checks.find((c) => c.status === 'fail');
  assert.is(failed?.diagnosis?.id, 'network-untrusted-certificate');
  const row = readFileSync(join(root, 'runbooks/contoso-hr/test/runbook.md'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('| verify says the certificate is not trusted'));
  assert.ok(row?.includes(failed!.diagnosis!.cause), 'the runbook row gives the same cause');
  assert.ok(!smtp.received.some((l) => /^AUTH/i.test(l)), 'no credentials went to the untrusted server');
});

H.after(() => {
  assert.ok(tokens.length > 0, 'tokens were collected for the scan');
  for (const out of outputs) {
    for (const form of encodedForms(canarySecret)) assert.not.ok(out.includes(form), `secret leaked: ${form}`);
    for (const t of tokens) assert.not.ok(out.includes(t.slice(20, 80)), 'token leaked');
    assert.not.ok(
      out.includes('dXNlcj'),
      `a SASL XOAUTH2 payload leaked: ${out.slice(Math.max(0, out.indexOf('dXNlcj') - 200), out.indexOf('dXNlcj') + 100)}`,
    );
    // NO_COLOR is set in every run: no control character other than line ends reaches any output.
    assert.not.match(
      out.replace(/\r?\n/g, ''),
      /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/,
      'a control character reached an output',
    );
  }
});

H.run();
