import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_DIR, type PlaygroundServer, startPlayground } from '../../src/cli/serve.js';

/** Debian's Chromium: `.ci/run` installs it when missing. */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
// In CI the browser must be there (.ci/run installs it); elsewhere the test says why it skips.
const missing = !existsSync(CHROMIUM) && process.env.CI === undefined;
if (missing) console.warn(`playground e2e skipped: no ${CHROMIUM} (apt-get install -y chromium)`);

describe.skipIf(missing)('the playground in a real browser', () => {
  let server: PlaygroundServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(`${PLAYGROUND_DIR}index.html`))
      execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'error'], { stdio: 'inherit' });
    server = await startPlayground({ port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(server.url);
    await page.waitForSelector('#status[data-ready]', { timeout: 30_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const svg = (id: string) => page.locator(`#${id}`).innerHTML();
  const ready = () => page.locator('#status').getAttribute('data-ready');
  async function changed(act: () => Promise<void>): Promise<void> {
    const before = await ready();
    await act();
    // A string expression: the test has no DOM types.
    await page.waitForFunction(
      `(() => { const s = document.querySelector('#status'); const r = s.getAttribute('data-ready'); return r !== null && r !== ${JSON.stringify(before)} && !s.textContent.includes('computing'); })()`,
      undefined,
      { timeout: 30_000 },
    );
  }

  it('loads with every chart, no console error, and no request off localhost', async () => {
    for (const id of ['chart-activation', 'chart-histograms', 'chart-gradient', 'chart-rnn'])
      expect(await svg(id), id).toContain('<svg');
    expect(await page.locator('#recommendation li').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith(server.url))).toEqual([]);
  });

  it('changing the activation and the strategies changes the charts', async () => {
    const a = await svg('chart-activation');
    const rec = await page.locator('#recommendation').textContent();
    await changed(async () => {
      await page.selectOption('#activation', 'relu');
    });
    expect(await svg('chart-activation')).not.toBe(a);
    expect(await page.locator('#recommendation').textContent()).not.toBe(rec);
    const b = await svg('chart-activation');
    await changed(() => page.getByLabel('normal:std=1').check());
    const c = await svg('chart-activation');
    expect(c).not.toBe(b);
    expect(c).toContain('normal:std=1');
    expect(errors).toEqual([]);
  });

  it('runs a training run to the end, keyboard only', async () => {
    await page.focus('#train');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      "document.querySelector('#train-status').textContent === 'done'",
      undefined,
      { timeout: 45_000 },
    );
    expect(await svg('chart-train')).toContain('<svg');
    expect(errors).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}playground.png`, fullPage: true });
  }, 60_000);
});
