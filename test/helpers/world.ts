import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';
import { startFakeEntra, keys, type EntraBehaviour, type FakeEntra } from './fake-entra.ts';
import { startFakeImap, startFakePop, startFakeSmtp, type FakeMailServer, type MailBehaviour } from './fake-mail.ts';
import { runCli, tempDir, type Result } from './cli.ts';

// A whole Microsoft world on loopback: one self-signed certificate (trusted by the CLI through
// NODE_EXTRA_CA_CERTS), a fake Entra ID and fake IMAP, POP and SMTP servers.

export const tenant = '72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b';
export const testClientId = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
export const prodClientId = '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f';
/** A canary: shaped like a real secret, searched for in every output. */
export const canarySecret = 'Cn4r8Q~yT3s7.S3cr3t-V4lu3_CANARY~z9xW2qLmN0';

let tlsPromise: Promise<{ key: string; cert: string }> | undefined;
export function tls(): Promise<{ key: string; cert: string }> {
  tlsPromise ??= selfsigned
    .generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    })
    .then((p: { private: string; cert: string }) => ({ key: p.private, cert: p.cert }));
  return tlsPromise;
}

export interface World {
  entra: FakeEntra;
  imap: FakeMailServer;
  pop: FakeMailServer;
  smtp: FakeMailServer;
  mail: MailBehaviour;
  dir: string;
  env: Record<string, string>;
  /** The endpoint flags that point verify at this world. */
  args: string[];
  close(): Promise<void>;
}

export async function startWorld(
  opts: { entra?: Partial<EntraBehaviour>; mail?: Partial<MailBehaviour> } = {},
): Promise<World> {
  const t = await tls();
  const dir = tempDir();
  const caPath = join(dir.path, 'ca.pem');
  writeFileSync(caPath, t.cert);
  const entra = await startFakeEntra(t, {
    apps: [
      { tenant, clientId: testClientId, secret: canarySecret, roles: ['IMAP.AccessAsApp', 'SMTP.SendAsApp'] },
      {
        tenant,
        clientId: prodClientId,
        secret: canarySecret,
        roles: ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp'],
      },
    ],
    ...opts.entra,
  });
  const mail: MailBehaviour = {
    publicKey: keys.publicKey,
    tenant,
    audience: 'https://outlook.office365.com',
    mailboxes: ['hr-test@contoso.com', 'hr@contoso.com', 'hr-archive@contoso.com'],
    tracker: { current: 0, max: 0 },
    ...opts.mail,
  };
  const [imap, pop, smtp] = await Promise.all([startFakeImap(t, mail), startFakePop(t, mail), startFakeSmtp(t, mail)]);
  return {
    entra,
    imap,
    pop,
    smtp,
    mail,
    dir: dir.path,
    env: { NODE_EXTRA_CA_CERTS: caPath, HR_TEST_MAIL_SECRET: canarySecret, HR_MAIL_SECRET: canarySecret },
    args: [
      '--authority-host',
      entra.url,
      '--imap',
      `127.0.0.1:${imap.port}`,
      '--pop',
      `127.0.0.1:${pop.port}`,
      '--smtp',
      `127.0.0.1:${smtp.port}`,
    ],
    close: async () => {
      await Promise.all([entra.close(), imap.close(), pop.close(), smtp.close()]);
      dir.done();
    },
  };
}

/**
 * `verify` of the built CLI against a world: the bundled example, or `manifest` written into the world's folder.
 * Everything it prints goes into `outputs`, which the suite scans for secrets at the end.
 */
export function verifier(outputs: string[]) {
  return async (
    w: World,
    args: string[],
    opts: { manifest?: string; env?: Record<string, string | undefined>; input?: string } = {},
  ): Promise<Result> => {
    let manifest = 'runbooks/contoso-hr.yaml';
    if (opts.manifest !== undefined) {
      manifest = join(w.dir, `m${outputs.length}.yaml`);
      writeFileSync(manifest, opts.manifest);
    }
    const r = await runCli(['verify', manifest, ...args, ...w.args], {
      env: { ...w.env, ...opts.env },
      input: opts.input,
    });
    outputs.push(r.stdout, r.stderr);
    return r;
  };
}
