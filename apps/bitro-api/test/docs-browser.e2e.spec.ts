import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from './test-app';

/** Debian's chromium; CI installs it. Without it these tests fail: the docs page is part of what ships. */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

type Document = { tags: Array<{ name: string }>; paths: Record<string, Record<string, { operationId: string; tags: string[] }>> };

let api: TestApp;
let browser: BrowserContext;
let userDataDir: string;
let document: Document;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's \`chromium\` package to test /docs in a browser.`);
  api = await startTestApp();
  document = (await call<Document>(api.url, 'GET', '/docs/openapi.json')).body;
  userDataDir = mkdtempSync(join(tmpdir(), 'bitro-docs-chromium-'));
  browser = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await api?.close();
});

/** Opens /docs (optionally with another document served in place of the real one) and waits for the operations. */
async function openDocs(replacement?: unknown): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(`console ${message.type()}: ${message.text()}`);
  });
  if (replacement) await page.route('**/docs/openapi.json', (route) => route.fulfill({ json: replacement }));
  await page.goto(`${api.url}/docs`);
  await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
  return { page, errors };
}

/** Swagger UI's error and warning boxes: the errors panel (parse errors, the jsonSchemaDialect warning) and the unsupported-version notice. */
const warningBoxes = (page: Page) => page.locator('.errors-wrapper, .version-pragma');

describe('/docs in Chromium', () => {
  it('lists every operation under its tag, expands one, and shows no error or warning', async () => {
    const { page, errors } = await openDocs();
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    for (const tag of document.tags.map((t) => t.name)) {
      const ids = operations.filter((operation) => operation.tags.includes(tag)).map((operation) => operation.operationId);
      expect(ids.length, tag).toBeGreaterThan(0);
      for (const id of ids) expect(await page.locator(`[id="operations-${tag}-${id}"]`).count(), `${tag}/${id}`).toBe(1);
    }
    expect(await page.locator('.opblock').count()).toBe(operations.length);

    const redeem = page.locator('[id="operations-giftcards-postV1GiftcardsRedemptions"]');
    await redeem.locator('.opblock-summary').click();
    await redeem.locator('.opblock-body').waitFor();
    expect(await redeem.locator('.parameters').innerText()).toContain('Idempotency-Key');
    expect(await redeem.locator('.responses-wrapper').innerText()).toContain('https://bitro.dev/problems/pin-already-redeemed');

    expect(await page.locator('.info a[href="/docs/guide"]').count()).toBe(1);
    expect(await warningBoxes(page).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('would show the warning for a JSON Schema dialect other than the OpenAPI default (the check can fail)', async () => {
    const { page } = await openDocs({ ...document, jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema' });
    await expect.poll(() => warningBoxes(page).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await warningBoxes(page).first().innerText()).toContain('jsonSchemaDialect');
    await page.close();
  });
});
