import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { root, runCli } from './helpers/cli.ts';

// The browser tier: the golden handouts opened from file:// in Chromium from the distribution's packages, driven by
// playwright-core (which downloads no browser). One browser serves every test. Without Chromium the tier is skipped
// with a message, unless REQUIRE_BROWSER=1 (as .ci/run sets), which makes a missing browser a failure.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(executablePath);
const goldenDir = join(root, 'test/fixtures/generate-options');
const handouts = readdirSync(goldenDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('handout.html'))
  .sort()
  .map((f) => join(goldenDir, f));
const mainHandout = join(goldenDir, 'html-contoso-hr/expected/test/handout.html');
export const artifactDir = join(root, 'test/artifacts');

let context: BrowserContext;
let profile: string;
const started = Date.now();

test.before(async () => {
  if (!available) return;
  const { chromium } = await import('playwright-core');
  profile = mkdtempSync(join(tmpdir(), 'mor-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1000, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
});

test.after(async () => {
  if (!available) return;
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  console.log(`    browser tier: Chromium at ${executablePath}, ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

/** Opens a file and records every console error, page error, dialog and request the page makes. */
async function open(file: string): Promise<{ page: Page; errors: string[]; requests: string[]; dialogs: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, errors, requests, dialogs };
}

// As a string: functions passed to page.evaluate from tsx carry esbuild's __name helper, which the page lacks.
const contrastScript = `(() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = c.map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && c !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(c)) return rgb(c);
    }
    return [255, 255, 255];
  };
  const ratios = [...document.querySelectorAll('p, li, td, th, a, code, button, aside, blockquote, h1, h2, h3, h4, label')].map((el) => {
    const a = lum(rgb(getComputedStyle(el).color));
    const b = lum(background(el));
    return { ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), tag: el.tagName + ' ' + (el.textContent || '').slice(0, 30) };
  });
  return ratios.sort((x, y) => x.ratio - y.ratio)[0];
})()`;

const pdfPages = (pdf: Buffer): number => pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length ?? 0;

if (!available) {
  if (process.env.REQUIRE_BROWSER === '1') {
    test('Chromium is installed (REQUIRE_BROWSER=1)', () =>
      assert.unreachable(`no Chromium at ${executablePath}: apt-get install -y chromium`));
  } else {
    console.log(
      `\n  BROWSER TIER SKIPPED: no Chromium at ${executablePath} (apt-get install -y chromium; REQUIRE_BROWSER=1 makes this a failure)\n`,
    );
  }
} else {
  for (const file of handouts) {
    test(`${file.slice(root.length + 1)}: opens from file:// with no console error and no network request`, async () => {
      const { page, errors, requests } = await open(file);
      try {
        assert.equal(errors, []);
        assert.equal(requests, [pathToFileURL(file).href], 'the page itself and nothing else');
        assert.ok((await page.locator('input.task').count()) > 0, 'the checklist is there');
        // Every control has an accessible name; the checkboxes through their labels.
        const unnamed = await page.evaluate(
          () =>
            [...document.querySelectorAll('button, input')].filter((el) =>
              el instanceof HTMLInputElement
                ? el.labels?.length === 0
                : !(el.getAttribute('aria-label') ?? el.textContent)?.trim(),
            ).length,
        );
        assert.is(unnamed, 0, 'controls without a name');
      } finally {
        await page.close();
      }
    });
  }

  test('text, links, code and buttons have a contrast of at least 4.5:1 (WCAG AA)', async () => {
    const { page } = await open(mainHandout);
    try {
      const worst = (await page.evaluate(contrastScript)) as { ratio: number; tag: string };
      console.log(`    lowest contrast: ${worst.ratio.toFixed(2)}:1 (${worst.tag.trim()})`);
      assert.ok(worst.ratio >= 4.5, `lowest contrast ${worst.ratio.toFixed(2)} on ${worst.tag}`);
    } finally {
      await page.close();
    }
  });

  test('a ticked box stays ticked after a reload; another environment and Reset start clean', async () => {
    const { page } = await open(mainHandout);
    try {
      const boxes = page.locator('input.task');
      await boxes.nth(2).check();
      // Local storage reaches the browser process asynchronously; nobody reloads within milliseconds of a tick.
      await page.waitForTimeout(500);
      await page.reload();
      assert.ok(await boxes.nth(2).isChecked(), 'still ticked after a reload');
      assert.not.ok(await boxes.nth(1).isChecked());
      const other = await open(mainHandout.replace(/\/test\/handout\.html$/, '/production/handout.html'));
      assert.not.ok(await other.page.locator('input.task').nth(2).isChecked(), 'production keeps its own ticks');
      await other.page.close();
      await page.getByRole('button', { name: 'Reset checklist' }).click();
      await page.reload();
      assert.is(await page.locator('input.task:checked').count(), 0, 'reset clears every tick');
    } finally {
      await page.close();
    }
  });

  test('a copy button puts exactly its value on the clipboard (an ID, the scope, a command)', async () => {
    const { page, errors } = await open(mainHandout);
    try {
      const expected = ['0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d', 'https://outlook.office365.com/.default'];
      for (const value of expected) {
        const button = page.locator(`code:text-is("${value}") + button.copy`).first();
        await button.click();
        assert.is(await page.evaluate(() => navigator.clipboard.readText()), value);
      }
      const command = page.locator('#runbook .command').first();
      await command.locator('button.copy').click();
      const text = await command.locator('code').textContent();
      assert.is(await page.evaluate(() => navigator.clipboard.readText()), text!.replace(/\n$/, ''));
      assert.match((await page.locator('#status').textContent()) ?? '', /^Copied: /);
      assert.equal(errors, []);
    } finally {
      await page.close();
    }
  });

  test('printed on A4 (and Letter): one page per step plus the front matter; no buttons; links show their target', async () => {
    const { page } = await open(mainHandout);
    try {
      const steps = await page.locator('section.step').count();
      assert.is(steps, 10);
      const full = {
        A4: pdfPages(await page.pdf({ format: 'A4' })),
        Letter: pdfPages(await page.pdf({ format: 'Letter' })),
      };
      await page.emulateMedia({ media: 'print' });
      const printed = await page.evaluate(() => {
        const a = document.createElement('a');
        a.href = 'https://example.invalid/doc';
        a.textContent = 'a link';
        document.querySelector('main')!.append(a);
        const after = getComputedStyle(a, '::after').content;
        a.remove();
        const shown = [...document.querySelectorAll('button, .toolbar')].filter(
          (b) => getComputedStyle(b).display !== 'none',
        ).length;
        return { after, shown };
      });
      assert.is(printed.shown, 0, 'buttons and the toolbar are not printed');
      assert.is(printed.after, '" <https://example.invalid/doc>"');
      await page.evaluate(() => document.querySelectorAll('section.step').forEach((s) => s.remove()));
      const without = {
        A4: pdfPages(await page.pdf({ format: 'A4' })),
        Letter: pdfPages(await page.pdf({ format: 'Letter' })),
      };
      console.log(
        `    A4: ${full.A4} pages (${without.A4} without the ${steps} steps); Letter: ${full.Letter} (${without.Letter})`,
      );
      assert.is(full.A4, without.A4 + steps, 'A4: every step is exactly one page');
      assert.is(full.Letter, without.Letter + steps, 'Letter: every step is exactly one page');
    } finally {
      await page.close();
    }
  });

  test('every other golden handout also prints one A4 page per step', async () => {
    for (const file of handouts.filter((f) => f !== mainHandout)) {
      const { page } = await open(file);
      try {
        const steps = await page.locator('section.step').count();
        assert.ok(steps >= 5, file);
        const full = pdfPages(await page.pdf({ format: 'A4' }));
        await page.evaluate(() => document.querySelectorAll('section.step').forEach((s) => s.remove()));
        assert.is(
          full,
          pdfPages(await page.pdf({ format: 'A4' })) + steps,
          `${file.slice(root.length + 1)}: every step is exactly one page`,
        );
      } finally {
        await page.close();
      }
    }
  });

  test('at phone width (390 px) no golden handout scrolls sideways: a wide table or command scrolls inside its box', async () => {
    for (const file of handouts) {
      const { page } = await open(file);
      try {
        for (const width of [390, 1000]) {
          await page.setViewportSize({ width, height: 844 });
          const m = await page.evaluate(() => {
            const doc = document.documentElement;
            const boxes = Array.from(document.querySelectorAll('table, pre')) as HTMLElement[];
            return {
              page: doc.scrollWidth,
              viewport: doc.clientWidth,
              widest: Math.max(...boxes.map((b) => b.getBoundingClientRect().right)),
              scrolling: boxes.filter((b) => b.scrollWidth > b.clientWidth + 1).length,
              tables: document.querySelectorAll('table').length,
            };
          });
          const name = `${file.slice(root.length + 1)} at ${width} px`;
          assert.ok(m.tables > 0, name);
          assert.ok(m.page <= m.viewport, `${name}: the page is ${m.page} px wide in a ${m.viewport} px window`);
          assert.ok(m.widest <= m.viewport, `${name}: a box ends at ${m.widest} px`);
          if (width === 390) assert.ok(m.scrolling > 0, `${name}: the wide tables scroll inside their boxes`);
        }
      } finally {
        await page.close();
      }
    }
  });

  test('a handout made from hostile values runs no script of theirs and shows them as text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mor-hostile-'));
    try {
      writeFileSync(join(dir, 'hostile.yaml'), readFileSync(join(root, 'test/fixtures/handout/hostile.yaml')));
      const r = await runCli(['generate', 'hostile.yaml', '--html'], { cwd: dir });
      assert.is(r.code, 0, r.stderr);
      const { page, errors, requests, dialogs } = await open(join(dir, 'hostile/test/handout.html'));
      try {
        assert.is(
          await page.evaluate(() => (window as unknown as { pwned?: number }).pwned),
          undefined,
          'no script of a value ran',
        );
        assert.equal(dialogs, []);
        assert.equal(errors, []);
        assert.is(requests.length, 1, 'the <img src=x> of a value requested nothing');
        assert.is(await page.locator('img, b, main script').count(), 0, 'no element from a value');
        assert.ok(
          (await page.getByText('<script>window.pwned=1</script>', { exact: false }).count()) > 0,
          'the value is shown as text',
        );
        await page.locator(`code:text-is("https://bizagi.contoso.com/hr'onmouseover=alert(1)")`).first().hover();
        assert.equal(dialogs, [], 'hovering a value runs nothing');
      } finally {
        await page.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a screenshot of a handout is kept as a test artifact', async () => {
    const { page } = await open(mainHandout);
    try {
      mkdirSync(artifactDir, { recursive: true });
      const path = join(artifactDir, 'handout-contoso-hr-test.png');
      await page.screenshot({ path, fullPage: false });
      assert.ok(readFileSync(path).subarray(1, 4).toString() === 'PNG');
      console.log(`    screenshot: ${path}`);
    } finally {
      await page.close();
    }
  });
}

test.run();
