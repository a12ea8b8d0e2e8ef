// npm run bench: whole-process timings, interleaved and repeated, reported as ratios measured in this one run.
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { canarySecret, startWorld } from '../test/helpers/world.ts';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli.js');
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const work = mkdtempSync(join(tmpdir(), 'mor-bench-'));
const rssFile = join(work, 'rss.txt');

function runNode(
  args: string[],
  opts: { env?: Record<string, string>; rss?: boolean } = {},
): Promise<{ ms: number; code: number | null; rssKiB?: number }> {
  return new Promise((resolve) => {
    writeFileSync(rssFile, '');
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [...(opts.rss ? ['--import', join(root, 'bench/rss.mjs')] : []), ...args], {
      cwd: work,
      stdio: 'ignore',
      env: { ...process.env, ...opts.env, ...(opts.rss ? { BENCH_RSS_FILE: rssFile } : {}) },
    });
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const rssKiB = opts.rss ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : undefined;
      resolve({ ms, code, rssKiB });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs each command `rounds` times, interleaved (A B C A B C …) so drift on the machine hits all alike. */
async function interleaved(commands: Record<string, string[]>, n = rounds): Promise<Record<string, number>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (const [name, args] of Object.entries(commands)) await runNode(args); // warm the file cache
  for (let i = 0; i < n; i++) {
    for (const [name, args] of Object.entries(commands)) {
      const r = await runNode(args);
      if (r.code !== 0) throw new Error(`${name} exited ${r.code}`);
      times[name]!.push(r.ms);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

function manifestWith(envs: number, mailboxes: number): string {
  const environments: Record<string, unknown> = {};
  for (let e = 0; e < envs; e++) {
    environments[`env${e}`] = {
      app: {
        clientId: `0b1c2d3e-4f50-4a6b-8c7d-${String(e).padStart(12, '0')}`,
        enterpriseAppObjectId: `5a6b7c8d-9e0f-4a1b-8c2d-${String(e).padStart(12, '0')}`,
        secret: { env: `SECRET_${e}`, expires: '2099-01-01' },
      },
      mailboxes: Array.from({ length: mailboxes }, (_, m) => ({
        address: `mb${m}-env${e}@contoso.com`,
        protocols: m % 3 === 0 ? ['imap', 'smtp'] : m % 3 === 1 ? ['pop'] : ['imap', 'pop', 'smtp'],
      })),
    };
  }
  return stringify({
    version: 1,
    tenant: { id: '72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b' },
    bizagi: { company: 'contoso', project: 'hr' },
    environments,
  });
}

const lines: string[] = [];
const out = (s = '') => {
  lines.push(s);
  console.log(s);
};
const x = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

out('# Benchmark results');
out();
out(
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version}.`,
);
out(
  `Medians of ${rounds} whole-process runs, commands interleaved; ratios are against \`node -e ""\` measured in the same run.`,
);
out();

/**
 * A docs repository: 50 manifests (one per project) × 3 environments, `generate --check` over all of them in one
 * process against the same check run as 50 processes (the shell loop the README used to show). Returns its section.
 */
async function manyManifests(): Promise<string[]> {
  const section: string[] = [];
  const count = 50;
  const names = Array.from({ length: count }, (_, i) => `project${String(i).padStart(2, '0')}.yaml`);
  for (const [i, name] of names.entries())
    // Each project its own mailboxes: generate refuses two projects reading one (Bizagi: one mailbox per project).
    writeFileSync(
      join(work, name),
      manifestWith(3, 4).replace('project: hr', `project: p${i}`).replaceAll('@contoso.com', `@p${i}.contoso.com`),
    );
  if ((await runNode([cli, 'generate', ...names])).code !== 0) throw new Error('generate of the 50 manifests failed');
  const oneProcess = [cli, 'generate', '--check', ...names];
  const loop = async () => {
    const started = process.hrtime.bigint();
    for (const name of names) {
      const r = await runNode([cli, 'generate', '--check', name]);
      if (r.code !== 0) throw new Error(`generate --check ${name} exited ${r.code}`);
    }
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const n = Math.max(3, Math.floor(rounds / 5));
  const one: number[] = [];
  const fifty: number[] = [];
  await runNode(oneProcess); // warm the file cache
  for (let i = 0; i < n; i++) {
    const r = await runNode(oneProcess);
    if (r.code !== 0) throw new Error(`generate --check over 50 manifests exited ${r.code}`);
    one.push(r.ms);
    fifty.push(await loop());
  }
  const kib = async (args: string[]) => {
    const xs: number[] = [];
    for (let i = 0; i < 5; i++) xs.push((await runNode(args, { rss: true })).rssKiB!);
    return median(xs) / 1024;
  };
  const rssOne = await kib(oneProcess);
  const rssNode = await kib(['-e', '']);
  section.push('## Many manifests: 50 manifests × 3 environments, `generate --check` in one process');
  section.push('');
  section.push(
    `Each manifest has 3 environments of 4 mailboxes (${count * 3} environments, ${count * 3 * 4 + count} files checked). Medians of ${n} runs, interleaved; measured ${new Date().toISOString().slice(0, 10)}, ${cpus().length} CPUs, Node ${process.version}.`,
  );
  section.push('');
  section.push('| run | median | ratio | budget |');
  section.push('| --- | --- | --- | --- |');
  section.push(`| 50 processes, \`generate --check <one manifest>\` each | ${median(fifty).toFixed(0)} ms | 1.00× | |`);
  section.push(
    `| 1 process, \`generate --check <50 manifests>\` | ${median(one).toFixed(0)} ms | ${x(median(one), median(fifty))} | ≤ 0.25× |`,
  );
  section.push('');
  section.push(
    `Peak RSS of the one-process run: ${rssOne.toFixed(1)} MiB; \`node -e ""\`: ${rssNode.toFixed(1)} MiB; ratio ${x(rssOne, rssNode)} (budget ≤ 2.0×).`,
  );
  section.push('');
  return section;
}

/**
 * verify against loopback fakes: one token, 40 logins (10 mailboxes × IMAP, POP, SMTP and 10 more × IMAP), 200 ms each;
 * then the same environment twice in one run (`--all`), which should cost twice the logins and one start-up.
 */
async function verifySection(): Promise<string[]> {
  const section: string[] = [];
  const world = await startWorld({ mail: { loginDelayMs: 200 } });
  const boxes = (prefix: string) => Array.from({ length: 20 }, (_, i) => `${prefix}${i}@contoso.com`);
  world.mail.mailboxes = [...boxes('bench'), ...boxes('uat')];
  for (const app of world.entra.behaviour.apps) app.roles = ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp'];
  // The world's two apps: each environment has its own app and its own mailboxes, as the manifest rules require.
  const environment = (clientId: string, secret: string, prefix: string) => ({
    app: { clientId, secret: { env: secret } },
    mailboxes: boxes(prefix).map((address, i) => ({ address, protocols: i < 10 ? ['imap', 'pop', 'smtp'] : ['imap'] })),
  });
  const test = environment('0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d', 'HR_TEST_MAIL_SECRET', 'bench');
  const uat = environment('3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f', 'HR_UAT_MAIL_SECRET', 'uat');
  const manifest = (environments: Record<string, unknown>) =>
    stringify({
      version: 1,
      tenant: { id: '72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b' },
      bizagi: { company: 'contoso', project: 'hr' },
      environments,
    });
  writeFileSync(join(work, 'verify.yaml'), manifest({ test }));
  writeFileSync(join(work, 'verify-two.yaml'), manifest({ test, uat }));
  const env = { ...world.env, HR_TEST_MAIL_SECRET: canarySecret, HR_UAT_MAIL_SECRET: canarySecret };
  const timed = async (args: string[]) => {
    const ms: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await runNode([cli, 'verify', ...args, ...world.args], { env });
      if (r.code !== 0) throw new Error(`verify ${args.join(' ')} exited ${r.code}`);
      ms.push(r.ms);
    }
    return median(ms);
  };
  section.push('## `verify`: token + 40 logins, 200 ms server latency each');
  section.push('');
  section.push('| run | median | ideal: logins ceil(n / c) × 200 ms | vs ideal | budget |');
  section.push('| --- | --- | --- | --- | --- |');
  const tokenOnly = await timed(['verify.yaml', '--env', 'test', '--token-only']);
  for (const c of [1, 4, 8]) {
    const ms = await timed(['verify.yaml', '--env', 'test', '--concurrency', String(c)]);
    const ideal = Math.ceil(40 / c) * 200;
    const logins = ms - tokenOnly;
    section.push(
      `| concurrency ${c} | ${ms.toFixed(0)} ms (logins ${logins.toFixed(0)} ms) | ${ideal} ms | ${x(logins, ideal)} | ${c === 1 ? '' : '≤ 1.25×'} |`,
    );
  }
  // Two environments in one process: two tokens and 2 × 40 logins, environments one after another.
  const two = await timed(['verify-two.yaml', '--all', '--concurrency', '4']);
  const twoIdeal = 2 * Math.ceil(40 / 4) * 200;
  const twoLogins = two - tokenOnly;
  section.push(
    `| \`--all\`, 2 environments, concurrency 4 | ${two.toFixed(0)} ms (tokens and logins ${twoLogins.toFixed(0)} ms) | ${twoIdeal} ms | ${x(twoLogins, twoIdeal)} | ≤ 1.25× |`,
  );
  section.push('');
  section.push(
    `The login time is the whole run minus a \`--token-only\` run (${tokenOnly.toFixed(0)} ms: start-up, manifest, token); the \`--all\` run also requests its second token in that time.`,
  );
  section.push('');
  await world.close();
  return section;
}

/** Measures one case only and puts its section into the committed results, leaving the other sections as they are. */
async function measureOnly(heading: string, measure: () => Promise<string[]>): Promise<never> {
  const section = await measure();
  console.log(section.join('\n'));
  const file = join(root, 'bench/results.md');
  const old = readFileSync(file, 'utf8');
  const start = old.indexOf(heading);
  const end = start === -1 ? -1 : old.indexOf('\n## ', start + 1);
  const text = section.join('\n');
  const updated =
    start === -1
      ? `${old.trimEnd()}\n\n${text}`
      : `${old.slice(0, start)}${text}${end === -1 ? '' : `\n${old.slice(end + 1)}`}`;
  writeFileSync(file, `${updated.trimEnd()}\n`);
  rmSync(work, { recursive: true, force: true });
  process.exit(0);
}

if (process.env.BENCH_ONLY === 'verify') await measureOnly('## `verify`', verifySection);
if (process.env.BENCH_ONLY === 'many') await measureOnly('## Many manifests', manyManifests);

writeFileSync(join(work, 'example.yaml'), readFileSync(join(root, 'runbooks/contoso-hr.yaml')));
const startup = await interleaved({
  node: ['-e', ''],
  help: [cli, '--help'],
  validate: [cli, 'validate', 'example.yaml'],
  generate: [cli, 'generate', 'example.yaml', '--out', 'out-example'],
});
out('## Start-up');
out();
out('| command | median | vs `node -e ""` | budget |');
out('| --- | --- | --- | --- |');
out(`| \`node -e ""\` | ${startup.node!.toFixed(0)} ms | 1.00× | |`);
out(`| \`--help\` | ${startup.help!.toFixed(0)} ms | ${x(startup.help!, startup.node!)} | ≤ 1.5× |`);
out(`| \`validate\` example | ${startup.validate!.toFixed(0)} ms | ${x(startup.validate!, startup.node!)} | ≤ 1.8× |`);
out(`| \`generate\` example | ${startup.generate!.toFixed(0)} ms | ${x(startup.generate!, startup.node!)} | ≤ 2.0× |`);
out();

if (process.env.BENCH_ONLY === 'startup') process.exit(0);

const sizes = [10, 100, 500];
for (const n of sizes) writeFileSync(join(work, `envs-${n}.yaml`), manifestWith(n, 10));
const scale = await interleaved(
  {
    node: ['-e', ''],
    ...Object.fromEntries(sizes.map((n) => [`envs${n}`, [cli, 'generate', `envs-${n}.yaml`, '--out', `out-${n}`]])),
  },
  Math.max(5, Math.floor(rounds / 3)),
);
const per = (a: number, b: number) => (scale[`envs${b}`]! - scale[`envs${a}`]!) / (b - a);
out('## Scaling: `generate` with N environments × 10 mailboxes');
out();
out('| environments | median | per environment, marginal |');
out('| --- | --- | --- |');
for (const n of sizes)
  out(
    `| ${n} | ${scale[`envs${n}`]!.toFixed(0)} ms | ${n === 10 ? '' : `${per(n === 100 ? 10 : 100, n).toFixed(2)} ms (from ${n === 100 ? 10 : 100})`} |`,
  );
const marginal = per(10, 500);
out();
out(
  `Marginal cost per environment (10 → 500): ${marginal.toFixed(2)} ms = ${(marginal / scale.node!).toFixed(3)} × \`node -e ""\` start-up (${scale.node!.toFixed(0)} ms); budget ≤ 0.1×.`,
);
out(
  `Linearity: marginal cost 100 → 500 / 10 → 100 = ${(per(100, 500) / per(10, 100)).toFixed(2)} (1.00 is perfectly linear).`,
);
out();

const rss = async (args: string[]) => {
  const kib: number[] = [];
  for (let i = 0; i < 5; i++) kib.push((await runNode(args, { rss: true })).rssKiB!);
  return median(kib) / 1024;
};
const rssNode = await rss(['-e', '']);
const rss500 = await rss([cli, 'generate', 'envs-500.yaml', '--out', 'out-500']);
const yamlModule = JSON.stringify(join(root, 'node_modules/yaml'));
const rssYaml = await rss([
  '-e',
  `const y = require(${yamlModule}); y.parseDocument(require('fs').readFileSync('envs-500.yaml', 'utf8'), { lineCounter: new y.LineCounter() }).toJS()`,
]);
const size = (readFileSync(join(work, 'envs-500.yaml')).length / 1024).toFixed(0);
out('## Peak memory');
out();
out(
  `Peak RSS of \`generate\` with 500 environments (a ${size} KiB manifest): ${rss500.toFixed(1)} MiB; \`node -e ""\`: ${rssNode.toFixed(1)} MiB; ratio ${x(rss500, rssNode)} (budget ≤ 2.5×).`,
);
out();
out(
  `For comparison, the yaml library alone parsing that manifest in a bare \`node -e\`: ${rssYaml.toFixed(1)} MiB (${x(rssYaml, rssNode)}).`,
);
out();

for (const l of await manyManifests()) out(l);

for (const l of await verifySection()) out(l);
rmSync(work, { recursive: true, force: true });
writeFileSync(join(root, 'bench/results.md'), `${lines.join('\n')}\n`);
