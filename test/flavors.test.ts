import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  alertBlock,
  azureDevOpsSlug,
  mermaidFlow,
  parseFlavor,
  portableSlug,
  stepAnchor,
} from '../src/render/flavors.ts';
import type { Step } from '../src/plan/steps.ts';

const step: Step = {
  id: 'grant-consent',
  number: 3,
  title: 'Grant admin consent',
  actor: 'consent',
  anchor: 'grant-consent',
};

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
  assert.is(stepAnchor('github', step), 'grant-consent');
  assert.is(stepAnchor('azure-devops', step), 'step-3-grant-admin-consent');
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
  for (const bad of ['Step 1: Register', 'Who does what?', 'a  b', ' lead', 'Café'])
    assert.throws(() => portableSlug(bad), /no slug/);
});

test('the Mermaid flow: HTML line breaks in labels only where GitHub draws them', () => {
  assert.match(mermaidFlow('github'), /entra\["Microsoft Entra ID<br\/>app registration/);
  assert.not.match(mermaidFlow('azure-devops'), /<br/);
  assert.match(mermaidFlow('azure-devops'), /^flowchart LR\n/);
  assert.match(mermaidFlow('azure-devops'), /verify -\.-> exo$/);
});

test('flavour names are checked', () => {
  assert.is(parseFlavor('portable'), 'portable');
  assert.throws(() => parseFlavor('GitHub'), /unknown Markdown flavour "GitHub"/);
});

test.run();
