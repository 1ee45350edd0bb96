import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); BATON_CHROMIUM points elsewhere. */
export const CHROMIUM_PATH = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';

/** Where the browser tests leave their screenshots for a reviewer (gitignored). */
export const SCREENSHOT_DIR = path.resolve(__dirname, '../../test-output/console');

/**
 * Headless Chromium with the flags this machine needs: no sandbox (root), no GPU, and nothing that
 * reaches the network on its own (the machine has none). Playwright gives each launch a fresh,
 * empty profile directory of its own and removes it on close.
 */
export class HeadlessBrowser {
  private constructor(readonly browser: Browser) {}

  static async launch(): Promise<HeadlessBrowser> {
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    return new HeadlessBrowser(browser);
  }

  /** A page 1280 px wide (the width the console is made readable at). */
  async page(options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await this.browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, colorScheme: options.colorScheme ?? 'light' });
    return { context, page: await context.newPage() };
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** Saves a full-page screenshot as test-output/console/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
