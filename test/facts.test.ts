import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli, runInProcess, tempDir } from './helpers/cli.ts';
import { generateDocuments as generate } from './helpers/documents.ts';

// What the documents say, pinned against the sources in docs/sources.md (issue 13). Each manifest is generated
// in-process from today's templates into a temporary folder, outside any git repository.

const base = (over: { tenant?: string; bizagi?: string; envs: string }) => `version: 1
tenant: ${over.tenant ?? '{ id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b, domain: contoso.onmicrosoft.com }'}
bizagi: ${over.bizagi ?? '{ company: contoso, project: hr }'}
environments:
${over.envs}`;

const imapSmtp = `  test:
    app: { clientId: 0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d, enterpriseAppObjectId: 5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d, secret: { env: HR_TEST_MAIL_SECRET } }
    mailboxes: [{ address: hr-test@contoso.com, protocols: [imap, smtp] }]
`;

const row = (doc: string, startsWith: string): string => {
  const line = doc.split('\n').find((l) => l.startsWith(`| ${startsWith}`));
  assert.ok(line, `no table row starting with "${startsWith}"`);
  return line!;
};
const section = (doc: string, anchor: string): string => {
  const start = doc.indexOf(`<a id="${anchor}"></a>`);
  assert.ok(start >= 0, `no section ${anchor}`);
  const next = doc.indexOf('<a id="', start + 1);
  const end = doc.indexOf('\n## ', start);
  return doc.slice(start, Math.min(next < 0 ? Infinity : next, end < 0 ? Infinity : end));
};

test('AADSTS7000112: its own entry, re-enable the enterprise application, never "Register the app"', async () => {
  const runbook = (await generate(base({ envs: imapSmtp })))['test/runbook.md']!;
  const r = row(runbook, 'AADSTS7000112');
  assert.match(r, /Enterprise applications \\> the app \\> Properties \\> Enabled for users to sign-in: Yes/);
  assert.match(r, /Do not register a new app/);
  assert.not.match(r, /#register-app/);
});

test('AADSTS90002/900023 are not blamed on https// ; the colon warning stays where the URI is typed', async () => {
  const docs = await generate(base({ envs: imapSmtp }));
  assert.not.match(row(docs['test/runbook.md']!, 'AADSTS90002'), /https\/\//);
  assert.match(section(docs['test/runbook.md']!, 'configure-bizagi'), /without the colon/);
  assert.match(docs['test/field-sheet.md']!, /starts with `https:\/\/` \(older instructions lost the colon\)/);
});

test('security defaults: said in the SMTP AUTH step and in the 5.7.139 row', async () => {
  const runbook = (await generate(base({ envs: imapSmtp })))['test/runbook.md']!;
  assert.match(
    section(runbook, 'enable-smtp-auth'),
    /\*\*security defaults\*\* are on[\s\S]*does not turn it back on[\s\S]*Conditional Access/,
  );
  assert.match(row(runbook, 'SMTP 535 5.7.139'), /security defaults are on[\s\S]*turned off/);
});

test('consent: Cloud Application Administrator or Application Administrator first; no Global Administrator implied', async () => {
  const docs = await generate(base({ envs: imapSmtp }));
  const runbook = docs['test/runbook.md']!;
  assert.match(
    row(runbook, 'Consent administrator'),
    /^\| Consent administrator \| Cloud Application Administrator or Application Administrator/,
  );
  assert.match(
    section(runbook, 'grant-consent'),
    /^\*Who: a Cloud Application Administrator or Application Administrator\.\*$/m,
  );
  for (const [name, doc] of Object.entries(docs)) {
    for (const m of doc.matchAll(/Global Administrator/g)) {
      const sentence = doc.slice(Math.max(0, m.index! - 40), doc.indexOf('.', m.index!) + 1);
      assert.match(sentence, /not needed|no Global Administrator needed/, `${name}: "${sentence}"`);
    }
  }
});

test('consent button: "Grant admin consent for" the tenant display name, or the organization, never the domain', async () => {
  let docs = await generate(base({ envs: imapSmtp }));
  for (const doc of [docs['test/runbook.md']!, docs['test/portal-checklist.md']!]) {
    assert.match(doc, /\*\*Grant admin consent for\*\* \*your organization's name\*/);
    assert.not.match(doc, /Grant admin consent for `contoso\.onmicrosoft\.com`/);
  }
  docs = await generate(
    base({
      tenant:
        '{ id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b, domain: contoso.onmicrosoft.com, displayName: "Contoso *Ltd*" }',
      envs: imapSmtp,
    }),
  );
  assert.match(
    docs['test/portal-checklist.md']!,
    /select \*\*Grant admin consent for Contoso \\\*Ltd\\\*\*\* > \*\*Yes\*\*/,
  );
});

test('mailboxes must be in Exchange Online; "on premises" stays about where Bizagi runs', async () => {
  let runbook = (await generate(base({ envs: imapSmtp })))['test/runbook.md']!;
  assert.match(
    runbook,
    /The mailboxes must be in Exchange Online\. In a hybrid organization, mailboxes that are still on the on-premises\nExchange servers cannot be reached this way/,
  );
  const onPrem = await generate(
    base({
      bizagi: '{ company: contoso, project: hr, hosting: on-premises }',
      envs: imapSmtp.replace('    app:', '    workPortalUrl: https://bizagi.contoso.com/hr\n    app:'),
    }),
  );
  runbook = onPrem['test/runbook.md']!;
  assert.match(runbook, /\*on premises\* is about where Bizagi runs/);
  assert.match(onPrem['test/field-sheet.md']!, /^## Bizagi on premises: Scheduler settings$/m);
});

test('application access policies do not restrict IMAP, POP or SMTP: said where mailbox access is granted', async () => {
  const runbook = (await generate(base({ envs: imapSmtp })))['test/runbook.md']!;
  assert.match(
    section(runbook, 'grant-mailbox-access'),
    /Application access policies \(`New-ApplicationAccessPolicy`\) do not restrict IMAP, POP or SMTP/,
  );
});

test('RBAC for SMTP: group members added, nested groups out, an earlier SMTP.SendAsApp removed, the Exchange role named', async () => {
  const env = `  production:
    app: { clientId: 4d5e6f70-8192-4a3b-8c4d-5e6f70819203, enterpriseAppObjectId: 0f1e2d3c-4b5a-4968-8776-655443322110 }
    smtp: { access: rbac, group: senders@contoso.com }
    mailboxes:
      - { address: a@contoso.com, protocols: [imap, smtp] }
      - { address: b@contoso.com, protocols: [smtp] }
`;
  const step = section((await generate(base({ envs: env })))['production/runbook.md']!, 'assign-smtp-rbac');
  assert.match(
    step,
    /Add-DistributionGroupMember -Identity 'senders@contoso\.com' -Member 'a@contoso\.com' -BypassSecurityGroupManagerCheck\nAdd-DistributionGroupMember -Identity 'senders@contoso\.com' -Member 'b@contoso\.com' -BypassSecurityGroupManagerCheck/,
  );
  assert.match(step, /only direct members count, not\nmembers of nested groups/);
  assert.match(step, /Remove any earlier `SMTP\.SendAsApp` API permission\. On its own it opens no mailbox/);
  assert.match(step, /revoke its admin consent/);
  assert.match(step, /Role Management role, which the Organization Management role group has/);
  assert.match(step, /Application access policies do not restrict SMTP/);
  assert.not.match(step, /not established/, 'RBAC for Applications is documented in the global cloud');
});

test('Bizagi on premises: EmailIntegrationClientSecret is the secret encrypted; the version comes through a support ticket', async () => {
  const sheet = (
    await generate(
      base({
        bizagi: '{ company: contoso, project: hr, hosting: on-premises }',
        envs: imapSmtp.replace('    app:', '    workPortalUrl: https://bizagi.contoso.com/hr\n    app:'),
      }),
    )
  )['test/field-sheet.md']!;
  assert.match(row(sheet, 'EmailIntegrationClientSecret'), /the secret \*\*Value encrypted\*\*, not the plain Value/);
  assert.match(sheet, /request it from Bizagi\nthrough a support ticket/);
});

for (const cloud of ['usgov', 'usgov-dod', 'china'] as const) {
  test(`${cloud}: scope and mail hosts marked unconfirmed wherever shown`, async () => {
    const docs = await generate(
      base({ tenant: `{ id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b, cloud: ${cloud} }`, envs: imapSmtp }),
    );
    const runbook = docs['test/runbook.md']!;
    const sheet = docs['test/field-sheet.md']!;
    for (const doc of [runbook, sheet]) {
      assert.match(row(doc, 'Scope'), /\*\(unconfirmed: see the note below\)\*/);
      assert.match(row(doc, 'IMAP'), /\*\(unconfirmed: see the note below\)\*/);
      assert.match(row(doc, 'SMTP'), /\*\(unconfirmed: see the note below\)\*/);
      assert.match(
        doc,
        /> Unconfirmed: Microsoft documents the OAuth scope and the IMAP, POP and SMTP servers of this setup for the worldwide cloud only/,
      );
    }
    assert.match(section(runbook, 'configure-bizagi'), /\| Scope \| `[^`]+` \*\(unconfirmed/);
    assert.not.match(
      docs['test/portal-checklist.md']!,
      /entra\.microsoft\.com/,
      'national clouds have their own portals',
    );
  });
}

test('global cloud: nothing marked unconfirmed', async () => {
  const docs = await generate(base({ envs: imapSmtp }));
  for (const doc of Object.values(docs)) assert.not.match(doc, /unconfirmed/i);
});

test('china with SMTP through RBAC: RBAC for Applications not established, in the runbook and the checklist', async () => {
  const env = `  test:
    smtp: { access: rbac, group: senders@contoso.cn }
    mailboxes: [{ address: a@contoso.cn, protocols: [imap, smtp] }]
`;
  const docs = await generate(
    base({ tenant: '{ id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b, cloud: china }', envs: env }),
  );
  assert.match(
    section(docs['test/runbook.md']!, 'assign-smtp-rbac'),
    /establishes that RBAC for Applications is available in the Microsoft 365 operated by 21Vianet/,
  );
  assert.match(
    docs['test/portal-checklist.md']!,
    /Do \*\*not\*\* add `SMTP\.SendAsApp`[^\n]*not established for the Microsoft 365 operated by 21Vianet/,
  );
});

test('redirect URIs: the documented pattern for test and production, "derived" for any other environment', async () => {
  const envs = ['test', 'production', 'staging']
    .map((e) => `  ${e}:\n    mailboxes: [{ address: ${e}@contoso.com, protocols: [imap] }]\n`)
    .join('');
  const docs = await generate(base({ envs }));
  for (const e of ['test', 'production']) {
    assert.match(row(docs[`${e}/runbook.md`]!, 'Redirect URI'), /\(Bizagi's pattern for cloud projects\)/);
    assert.not.match(docs[`${e}/portal-checklist.md`]!, /derived/);
  }
  assert.match(
    row(docs['staging/runbook.md']!, 'Redirect URI'),
    /`https:\/\/staging-hr-contoso\.bizagi\.com\/oauth2\/client\/callback` \(derived: Bizagi documents this pattern for test and production only/,
  );
  assert.match(docs['staging/portal-checklist.md']!, /Redirect URI: platform \*\*Web\*\*, `[^`]+` \(derived:/);
  assert.match(section(docs['staging/runbook.md']!, 'register-app'), /callback` \(derived:/);
});

test('default app display name keeps the project as written', async () => {
  const docs = await generate(
    base({ envs: '  test:\n    mailboxes: [{ address: a@contoso.com, protocols: [pop] }]\n' }),
  );
  assert.match(docs['test/runbook.md']!, /\| App registration name \| `Bizagi hr mail \(test\)` \|/);
  assert.not.match(Object.values(docs).join('\n'), /Bizagi HR mail/);
});

test('portal: the Microsoft Entra admin center first, the Azure portal as the alternative', async () => {
  const docs = await generate(base({ envs: imapSmtp }));
  const step = section(docs['test/runbook.md']!, 'register-app');
  assert.match(
    step,
    /Sign in to the Microsoft Entra admin center, `https:\/\/entra\.microsoft\.com`, and open\n {3}\*\*Entra ID\*\* > \*\*App registrations\*\* > \*\*New registration\*\*/,
  );
  assert.ok(step.indexOf('entra.microsoft.com') < step.indexOf('portal.azure.com'));
  assert.match(
    docs['test/portal-checklist.md']!,
    /^## In the Microsoft Entra admin center, `https:\/\/entra\.microsoft\.com`$/m,
  );
  const usgov = await generate(
    base({ tenant: '{ id: 72f9a1b3-0c4d-4e5f-8a6b-7c8d9e0f1a2b, cloud: usgov }', envs: imapSmtp }),
  );
  assert.match(
    section(usgov['test/runbook.md']!, 'register-app'),
    /Sign in to the Azure portal, `https:\/\/portal\.azure\.us`[\s\S]*Each national cloud has its own portal/,
  );
});

test('verify step: a PowerShell form (7, and what 5.1 users do), bash, PASS as printed', async () => {
  const step = section((await generate(base({ envs: imapSmtp })))['test/runbook.md']!, 'verify');
  assert.match(
    step,
    /```powershell\n\[Environment\]::SetEnvironmentVariable\('HR_TEST_MAIL_SECRET', \(Read-Host -MaskInput 'Secret Value'\)\)/,
  );
  assert.match(step, /mail-oauth-runbook verify 'hr\.yaml' --env 'test'/);
  assert.match(
    step,
    /In Windows PowerShell 5\.1, which has no `Read-Host -MaskInput`, run only the last line without setting the variable:\nverify then asks for the secret Value itself/,
  );
  assert.match(step, /```sh\nread -rs HR_TEST_MAIL_SECRET/);
  assert.match(step, /every line says `PASS`/);
  assert.match(step, /in the folder that holds the manifest/);
});

test('verify step without app.secret.env: verify asks for the Value itself, in PowerShell and bash alike', async () => {
  const step = section(
    (await generate(base({ envs: '  test:\n    mailboxes: [{ address: a@contoso.com, protocols: [imap] }]\n' })))[
      'test/runbook.md'
    ]!,
    'verify',
  );
  assert.match(step, /The manifest names no `app\.secret\.env` variable, so verify asks for the secret Value itself/);
  assert.match(
    step,
    /```powershell\nmail-oauth-runbook verify 'hr\.yaml' --env 'test' --report 'verification-test\.md'\n```/,
  );
  assert.not.match(step, /Read-Host|read -rs/);
});

test('RBAC mode: the Exchange administrator row names the Role Management role', async () => {
  const env = `  production:\n    smtp: { access: rbac, group: senders@contoso.com }\n    mailboxes: [{ address: a@contoso.com, protocols: [smtp] }]\n`;
  const runbook = (await generate(base({ envs: env })))['production/runbook.md']!;
  assert.match(
    row(runbook, 'Exchange administrator'),
    /also the Role Management role \(Organization Management role group\)/,
  );
  assert.not.match(
    row((await generate(base({ envs: imapSmtp })))['test/runbook.md']!, 'Exchange administrator'),
    /Role Management/,
  );
});

test('verify step: the manifest path as it is in the repository', () => {
  const step = section(readFileSync(join(root, 'runbooks/contoso-hr/test/runbook.md'), 'utf8'), 'verify');
  assert.match(step, /mail-oauth-runbook verify 'runbooks\/contoso-hr\.yaml' --env 'test'/);
  assert.match(step, /mail-oauth-runbook verify runbooks\/contoso-hr\.yaml --env test/);
  assert.match(step, /at the top of the repository that holds the manifest/);
});

test("init's all-zero placeholder tenant never shows as a value in a document", async () => {
  const t = tempDir();
  try {
    let r = await runCli(
      ['init', 'm.yaml', '--company', 'contoso', '--project', 'hr', '--mailbox', 'test:hr-test@contoso.com'],
      { cwd: t.path },
    );
    assert.is(r.code, 0, r.stderr);
    r = await runCli(['generate', 'm.yaml', '--out', 'out'], { cwd: t.path });
    assert.is(r.code, 0, r.stderr);
    for (const e of readdirSync(join(t.path, 'out'), { recursive: true, withFileTypes: true })) {
      if (!e.isFile() || !e.name.endsWith('.md')) continue;
      const text = readFileSync(join(e.parentPath, e.name), 'utf8');
      assert.not.match(text, /00000000-0000/, e.name);
    }
    const runbook = readFileSync(join(t.path, 'out/test/runbook.md'), 'utf8');
    assert.match(
      row(runbook, 'Directory (tenant) ID'),
      /\*not known yet: see \[Step \d+: Record the IDs\]\(#record-ids\)\*/,
    );
    assert.match(row(runbook, 'Access Token URI'), /\*not known yet/);
    assert.match(
      row(readFileSync(join(t.path, 'out/test/field-sheet.md'), 'utf8'), 'Access Token URI'),
      /\*not known yet: see \[Step \d+: Record the IDs\]\(runbook\.md#record-ids\)\*/,
    );
    assert.match(
      readFileSync(join(t.path, 'out/test/portal-checklist.md'), 'utf8'),
      /\| `tenant\.id` \| App registration > Overview > Directory \(tenant\) ID \| the all-zero placeholder \|/,
    );
  } finally {
    t.done();
  }
});

test('templates take facts from the plan and join lists one way', () => {
  const dir = join(root, 'templates');
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter(
    (e) => e.isFile() && e.name.endsWith('.md.hbs'),
  );
  assert.ok(files.length > 10);
  for (const e of files) {
    const text = readFileSync(join(e.parentPath, e.name), 'utf8');
    for (const literal of [
      '30 days',
      'SMTP.SendAsApp',
      'full_access_as_app',
      '{{#unless @last}}',
      'protocolList',
      'readProtocols',
    ]) {
      assert.not.ok(text.includes(literal), `${e.name} repeats ${literal}`);
    }
  }
});

test('running the script: -WhatIf first, and what to do when the execution policy stops it (about_Execution_Policies)', async () => {
  const step = section((await generate(base({ envs: imapSmtp })))['test/runbook.md']!, 'register-service-principal');
  const text = step.replace(/^> /gm, '').replace(/\s+/g, ' '); // read as one text, the note box's quote marks off
  assert.match(
    text,
    /1\. Run `\.\\exchange-setup\.ps1 -WhatIf`: it signs in, checks the tenant and lists the changes it would make without making any \(or stops and says why\)\. 2\. Run `\.\\exchange-setup\.ps1`/,
  );
  assert.match(
    text,
    /for \*is not digitally signed\* \(marked as downloaded; RemoteSigned blocks it\), run `Unblock-File \.\\exchange-setup\.ps1`/,
  );
  assert.match(
    text,
    /for \*running scripts is disabled\* \(Restricted, Windows PowerShell 5\.1's default on Windows clients\)/,
  );
  assert.match(
    text,
    /`Set-ExecutionPolicy -Scope Process -ExecutionPolicy RemoteSigned` \(this window only, no administrator rights\)/,
  );
  assert.match(text, /Windows PowerShell 5\.1 and PowerShell 7 keep separate policies/);
  assert.match(step, /^> \[!NOTE\]\n> If the script \*cannot be loaded\*/m, 'the execution-policy cases in a note box');
  assert.match(
    text,
    /Group Policy decides: under RemoteSigned, `Unblock-File` is enough; under Restricted neither the script nor the Exchange Online module loads/,
  );
});

test('rotation: on premises the Scheduler key too; the manifest named and the documents generated again', async () => {
  const envs = imapSmtp.replace('    app:', '    workPortalUrl: https://bizagi.contoso.com/hr\n    app:');
  const cloud = (await generate(base({ envs })))['test/runbook.md']!;
  const onPremises = (
    await generate(base({ envs, bizagi: '{ company: contoso, project: hr, hosting: on-premises }' }))
  )['test/runbook.md']!;
  const rotation = (doc: string) =>
    doc.slice(doc.indexOf('## Secret expiry and rotation'), doc.indexOf('## Troubleshooting'));
  assert.not.match(rotation(cloud), /EmailIntegrationClientSecret/);
  assert.match(rotation(onPremises), /the Scheduler's\s+`EmailIntegrationClientSecret` with the new Value encrypted/);
  const bizagi = section(onPremises, 'configure-bizagi').replace(/\s+/g, ' ');
  assert.match(bizagi, /first request from Bizagi support the version that includes the Email Integration change/);
  assert.match(bizagi, /`EmailIntegrationClientSecret` takes the secret Value \*\*encrypted\*\*/);
  assert.match(rotation(onPremises), /whether the Scheduler must be restarted to read it is\s+not confirmed here/);
  assert.not.match(section(cloud, 'configure-bizagi'), /EmailIntegration/);
  for (const doc of [cloud, onPremises]) {
    assert.match(rotation(doc), /Update `app\.secret\.expires` in `hr\.yaml`/);
    assert.match(
      rotation(doc),
      /generate the documents again and commit the manifest together with them[\s\S]*```sh\n   mail-oauth-runbook generate hr\.yaml\n   ```/,
    );
  }
});

test.run();
