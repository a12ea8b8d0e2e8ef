import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './helpers/cli.ts';
import { generateDocuments } from './helpers/documents.ts';

const generate = (manifest: string) => generateDocuments(manifest, 'm.yaml');

// Truth pass 3 (issue 26, "Documents: misleading or missing"): what a review of the documents against Microsoft's and
// Bizagi's pages found. Each manifest is generated in-process from today's templates into a temporary folder.

const fixture = (name: string) => readFileSync(join(root, 'test/fixtures/generate', name, 'manifest.yaml'), 'utf8');
/** The document's prose with line breaks and blockquote markers folded, so a sentence can be matched whole. */
const prose = (doc: string) => doc.replace(/\n> ?/g, ' ').replace(/\s+/g, ' ');
const section = (doc: string, anchor: string): string => {
  const start = doc.indexOf(`<a id="${anchor}"></a>`);
  assert.ok(start >= 0, `no section ${anchor}`);
  const next = doc.indexOf('<a id="', start + 1);
  return doc.slice(start, next < 0 ? undefined : next);
};

const tenant = `version: 1
tenant: { id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b, domain: contoso.onmicrosoft.com }
`;
const app = (n: number) =>
  `app: { clientId: 0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4${n}, enterpriseAppObjectId: 5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8${n} }`;

test('RBAC for SMTP: a leftover SMTP.SendAsApp is not said to send as every mailbox; Microsoft advice cited', async () => {
  const text = prose((await generate(fixture('rbac-smtp')))['production/runbook.md']!);
  assert.not.match(text, /send as every mailbox/);
  assert.match(text, /On its own it opens no mailbox: Exchange still requires a mailbox permission or this scope/);
  assert.match(text, /Microsoft's SMTP RBAC onboarding page advises removing it/);
});

test('RBAC for SMTP with SendAs: hedged, pointing to verify --send-test-to', async () => {
  const text = prose((await generate(fixture('rbac-send-as')))['production/runbook.md']!);
  assert.match(text, /Microsoft does not document how SendAs combines with SMTP through RBAC for Applications/);
  assert.match(text, /only `verify --send-test-to` shows whether sending as each address works/);
  const plain = prose((await generate(fixture('china-send-as')))['test/runbook.md']!);
  assert.not.match(plain, /does not document how SendAs combines/, 'said only where RBAC is used');
});

test('Bizagi on premises: the redirect URI form is hedged, no undocumented e-mail test, the consent roles named', async () => {
  const onPremises = prose((await generate(fixture('usgov-pop-on-premises')))['uat/runbook.md']!);
  assert.match(onPremises, /for its cloud projects only; for Bizagi on premises the URI above applies the same form/);
  assert.not.match(onPremises, /exactly the one above/);
  assert.not.match(onPremises, /Bizagi's e-mail test/);
  assert.match(
    onPremises,
    /has a Global Administrator grant the consent; a Global Administrator can, but Microsoft's page/,
  );
  const cloud = prose((await generate(fixture('rbac-smtp')))['production/runbook.md']!);
  assert.match(cloud, /Bizagi asks for the Web redirect URI above/);
  assert.not.match(cloud, /has a Global Administrator grant the consent/);
});

test('"**Why it matters.**" always starts its own paragraph (on premises, after the Scheduler note, too)', async () => {
  for (const name of ['usgov-pop-on-premises', 'rbac-smtp', 'removed-mailbox']) {
    for (const [file, doc] of Object.entries(await generate(fixture(name)))) {
      const lines = doc.split('\n');
      lines.forEach((line, i) => {
        if (line.startsWith('**Why it matters.**')) assert.is(lines[i - 1], '', `${name}/${file}:${i + 1}`);
      });
    }
  }
});

test('A new registration carries Microsoft Graph User.Read: the runbook says to remove it', async () => {
  const text = prose((await generate(fixture('rbac-smtp')))['production/runbook.md']!);
  assert.match(text, /starts with the Microsoft Graph permission `User.Read` \(delegated\) already listed/);
  assert.match(text, /nothing else is listed \(no Microsoft Graph `User.Read`/);
});

test('Removed mailboxes: a login that still works may be propagation; the last POP mailbox gone → remove POP.AccessAsApp', async () => {
  const text = prose((await generate(fixture('removed-mailbox')))['production/runbook.md']!);
  assert.match(text, /may only mean that Exchange has not applied the change yet/);
  assert.not.match(text, /a login that still works means the access was not removed/);
  assert.match(text, /No mailbox of this environment uses POP any more, so the app no longer needs `POP.AccessAsApp`/);
  assert.match(text, /Revoke admin consent/);
  // IMAP is still used by hr@contoso.com: its permission stays.
  assert.not.match(text, /no longer needs `IMAP.AccessAsApp`/);
});

test('Removed mailboxes: no unused-permission note while another mailbox still uses the protocol', async () => {
  const text = prose(
    (
      await generate(`${tenant}bizagi: { company: contoso, project: hr }
environments:
  production:
    ${app(1)}
    mailboxes:
      - { address: hr@contoso.com, protocols: [pop] }
      - { address: hr-old@contoso.com, protocols: [pop], state: absent }
`)
    )['production/runbook.md']!,
  );
  assert.match(text, /Mailboxes removed from this environment/);
  assert.not.match(text, /no longer needs/);
});

test('Decommission: soft delete for 30 days, how to delete for good, the Entra admin center, and an Entra check', async () => {
  const docs = await generate(fixture('retired-environment'));
  const decommission = docs['production/decommission.md']!;
  const del = prose(section(decommission, 'delete-app-registration'));
  assert.match(del, /Microsoft Entra admin center, `https:\/\/entra.microsoft.com`/);
  assert.not.match(del, /Azure portal/);
  assert.match(del, /restorable for 30 days/);
  assert.match(del, /\*Deleted applications\*, select it and choose \*\*Delete permanently\*\*/);
  const check = prose(section(decommission, 'check'));
  assert.match(check, /Who: an Entra administrator, then an Exchange administrator/);
  assert.match(check, /App registrations\*\* > \*All applications\* finds nothing for the client ID/);
});

test('The RBAC timing note appears only where RBAC for Applications is used; lists read "A, B and C"', async () => {
  const without = prose(
    (
      await generate(`${tenant}bizagi: { company: contoso, project: hr }
environments:
  test:
    ${app(2)}
    mailboxes: [{ address: hr-test@contoso.com, protocols: [imap, pop, smtp] }]
`)
    )['test/runbook.md']!,
  );
  assert.not.match(without, /30 minutes to 2 hours for RBAC for Applications/);
  assert.match(without, /over IMAP, POP and SMTP with app-only OAuth/);
  const withRbac = prose((await generate(fixture('rbac-smtp')))['production/runbook.md']!);
  assert.match(
    withRbac,
    /take a while to apply \(Microsoft documents 30 minutes to 2 hours for RBAC for Applications\)/,
  );
  assert.match(withRbac, /over IMAP and SMTP with app-only OAuth/);
});

test('A one-page summary at the top: every step in order, who does it, and its values', async () => {
  const docs = await generate(fixture('rbac-send-as'));
  const runbook = docs['production/runbook.md']!;
  const glance = runbook.slice(runbook.indexOf('## At a glance'), runbook.indexOf('## Who does what'));
  assert.ok(runbook.indexOf('## At a glance') < runbook.indexOf('## Steps'), 'before the steps');
  const rows = glance.split('\n').filter((l) => l.startsWith('| [Step '));
  const steps = [...runbook.matchAll(/^<a id="([a-z-]+)"><\/a>\n\n### Step/gm)].map((m) => m[1]);
  assert.equal(
    rows.map((r) => /\]\(#([a-z-]+)\)/.exec(r)?.[1]),
    steps,
    'one row per step, in the order of the steps',
  );
  assert.match(glance, /FullAccess on `claims@fabrikam\.com`; SendAs on `noreply@fabrikam\.com`/);
  assert.match(
    glance,
    /Scope `Bizagi fabrikam claims production 6c7d8e9f SMTP senders` on the group `claims-senders@fabrikam\.com`/,
  );
  assert.match(glance, /application permissions `IMAP\.AccessAsApp`, nothing else/);
  assert.match(runbook, /- \[At a glance\]\(#at-a-glance\)/);
});

test('The diagram and its sentences name only the protocols the environment uses', async () => {
  const docs = await generate(fixture('rbac-smtp-only'));
  const runbook = docs['production/runbook.md']!;
  assert.match(runbook, /bizagi -- "XOAUTH2 login: SMTP" --> exo/);
  assert.not.match(runbook, /IMAP, POP, SMTP/);
  const both = (await generate(fixture('rbac-smtp')))['production/runbook.md']!;
  assert.match(both, /"XOAUTH2 login: IMAP, SMTP"/);
});

test('Troubleshooting names only the roles this environment needs', async () => {
  const imapOnly = (await generate(fixture('rbac-smtp')))['production/runbook.md']!;
  assert.match(
    imapOnly,
    /^\| The token has no IMAP\.AccessAsApp role \|/m,
    'RBAC for SMTP: no SMTP.SendAsApp role to miss',
  );
  assert.not.match(imapOnly, /The token has no [^|]*SMTP\.SendAsApp/);
  const popOnly = (await generate(fixture('usgov-pop-on-premises')))['uat/runbook.md']!;
  assert.match(popOnly, /^\| The token has no POP\.AccessAsApp role \|/m);
});

test('The handout links the documents it holds and says where the scripts are, which it does not hold', async () => {
  const page = (await generateDocuments(fixture('rbac-smtp'), 'm.yaml', ['--html']))['production/handout.html']!;
  assert.match(page, /The steps also name <code>exchange-setup\.ps1<\/code>: not part of this page/);
  assert.ok(
    page.includes('<a href="#field-sheet"><code>field-sheet.md</code></a>'),
    'field-sheet.md links to its section',
  );
  assert.not.ok(/(?<!href="#field-sheet">)<code>field-sheet\.md<\/code>/.test(page), 'every mention is a link');
});

test.run();
