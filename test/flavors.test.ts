import { test } from 'uvu';
import * as assert from 'uvu/assert';
import GithubSlugger from 'github-slugger';
import { azureDevOpsSlug, portableSlug, stepAnchors } from '../src/plan/anchors.ts';
import { buildSteps, stepAnchor } from '../src/plan/steps.ts';
import { alertBlock, mermaidFlow, parseFlavor } from '../src/render/flavors.ts';
import { flowIn } from '../src/render/flow.ts';
import { en } from '../src/text/en.ts';

const step = buildSteps((id) => id !== 'add-permissions', en.steps).find((s) => s.id === 'grant-consent')!;

test('alerts: GitHub syntax for github, a bold-labelled blockquote elsewhere, every line quoted', () => {
  assert.is(
    alertBlock('github', 'warning', 'Copy the Value.\nNot the ID.\n'),
    '> [!WARNING]\n> Copy the Value.\n> Not the ID.\n',
  );
  assert.is(
    alertBlock('azure-devops', 'warning', 'Copy the Value.\nNot the ID.\n'),
    '> **Warning:** Copy the Value.\n> Not the ID.\n',
  );
  assert.is(
    alertBlock('portable', 'important', 'One line\n\nafter a blank\n'),
    '> **Important:** One line\n>\n> after a blank\n',
  );
  assert.throws(() => alertBlock('github', 'danger', 'x'), /unknown alert kind/);
});

test('step links: explicit ids on GitHub, the wiki heading anchor on Azure DevOps, the common slug when portable', () => {
  assert.is(step.heading, 'Step 2: Grant admin consent');
  assert.is(step.label, 'Step 2');
  assert.is(stepAnchor('github', step), 'grant-consent');
  assert.is(stepAnchor('azure-devops', step), 'step-2-grant-admin-consent');
  assert.is(stepAnchor('portable', step), 'grant-admin-consent');
});

test("Azure DevOps anchors follow Microsoft's rule: lower case, punctuation dropped, spaces to dashes", () => {
  assert.is(azureDevOpsSlug('Link to a heading in the page'), 'link-to-a-heading-in-the-page');
  assert.is(
    azureDevOpsSlug('Step 9: Configure OAuth e-mail in the Bizagi Management Console'),
    'step-9-configure-oauth-e-mail-in-the-bizagi-management-console',
  );
});

test('portable slugs exist only for headings every renderer slugs alike', () => {
  assert.is(portableSlug('Turn on SMTP AUTH for the SMTP mailboxes'), 'turn-on-smtp-auth-for-the-smtp-mailboxes');
  for (const bad of ['Step 1: Register', 'Who does what?', 'a  b', ' lead', 'Cafe\u0301', 'İstanbul', 'x²'])
    assert.throws(() => portableSlug(bad), /no slug/);
});

test('accented titles have anchors in every flavour, the ones GitHub and Azure DevOps derive from the headings', () => {
  const title = 'Concesión del consentimiento del administrador';
  const heading = 'Paso 3: Concesión del consentimiento del administrador';
  const anchors = stepAnchors({ id: 'grant-consent', heading, title });
  assert.is(anchors.github, 'grant-consent');
  assert.is(anchors.portable, 'concesión-del-consentimiento-del-administrador');
  assert.is(anchors.portable, new GithubSlugger().slug(title));
  assert.is(anchors['azure-devops'], 'paso-3-concesión-del-consentimiento-del-administrador');
  assert.is(portableSlug('Ñandú y Ödön'), 'ñandú-y-ödön');
});

test('the Mermaid flow: HTML line breaks in labels only where GitHub draws them', () => {
  assert.match(
    mermaidFlow('github', flowIn('en', ['IMAP', 'POP', 'SMTP'])),
    /entra\["Microsoft Entra ID<br\/>app registration/,
  );
  assert.not.match(mermaidFlow('azure-devops', flowIn('en', ['IMAP', 'POP', 'SMTP'])), /<br/);
  assert.match(mermaidFlow('azure-devops', flowIn('en', ['IMAP', 'POP', 'SMTP'])), /^flowchart LR\n/);
  assert.match(mermaidFlow('azure-devops', flowIn('en', ['IMAP', 'POP', 'SMTP'])), /verify -\.-> exo$/);
});

test('flavour names are checked', () => {
  assert.is(parseFlavor('portable'), 'portable');
  assert.throws(() => parseFlavor('GitHub'), /unknown Markdown flavour "GitHub"/);
});

test.run();
