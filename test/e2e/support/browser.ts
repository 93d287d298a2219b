import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { startClientIpProxy, type ClientIpProxy } from './client-ip-proxy';
import { e2eEnv, type E2eEnv } from './env';

/** Debian's Chromium (toolchain.md "A real browser"); the flags keep it off the (closed) network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface ConsoleEntry {
  readonly kind: 'console' | 'pageerror';
  readonly text: string;
  /** The document (or resource) the message came from. */
  readonly url: string;
}

export interface RecordedResponse {
  readonly url: string;
  readonly status: number;
  readonly method: string;
  readonly resourceType: string;
  /** All headers as the browser received them, lower-case names; null if the browser could not say. */
  readonly headers: Promise<Record<string, string> | null>;
}

export interface SessionOptions {
  /** Default es-CO, the merchant's locale. */
  locale?: string;
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

/**
 * One payer's phone: a fresh context (360×740, DPR 2, touch, es-CO) behind its own client-IP proxy, with
 * everything the checks need recorded: console errors, page errors, and every response with its headers.
 * Screenshots go to test-artifacts/e2e/<test>/<nn>-<step>.png.
 */
export class Session {
  readonly console: ConsoleEntry[] = [];
  readonly responses: RecordedResponse[] = [];
  private step = 0;

  private constructor(
    readonly env: E2eEnv,
    readonly context: BrowserContext,
    readonly page: Page,
    readonly proxy: ClientIpProxy,
    readonly shotsDir: string,
  ) {}

  static async open(browser: Browser, testName: string, options: SessionOptions = {}): Promise<Session> {
    const env = e2eEnv();
    const proxy = await startClientIpProxy();
    try {
      const context = await browser.newContext({
        viewport: { width: 360, height: 740 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: options.locale ?? 'es-CO',
        timezoneId: 'America/Bogota',
        proxy: { server: proxy.server },
      });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      const shotsDir = join(env.artifactsDir, slug(testName));
      rmSync(shotsDir, { recursive: true, force: true });
      mkdirSync(shotsDir, { recursive: true });
      const session = new Session(env, context, page, proxy, shotsDir);
      session.record(page);
      return session;
    } catch (err) {
      await proxy.close();
      throw err;
    }
  }

  /** Records console errors, page errors and responses of a page (and of all its frames). */
  record(page: Page): void {
    page.on('console', (msg) => {
      if (msg.type() === 'error') {
        this.console.push({ kind: 'console', text: msg.text(), url: msg.location().url });
      }
    });
    page.on('pageerror', (err) =>
      this.console.push({ kind: 'pageerror', text: String(err), url: page.url() }),
    );
    page.on('response', (res: Response) => {
      this.responses.push({
        url: res.url(),
        status: res.status(),
        method: res.request().method(),
        resourceType: res.request().resourceType(),
        headers: res.allHeaders().catch(() => null),
      });
    });
  }

  /** An absolute portal URL. */
  url(path: string): string {
    return new URL(path, this.env.portalUrl).toString();
  }

  get portalOrigin(): string {
    return new URL(this.env.portalUrl).origin;
  }

  async shot(step: string, page: Page = this.page): Promise<void> {
    this.step += 1;
    const file = `${String(this.step).padStart(2, '0')}-${slug(step)}.png`;
    await page.screenshot({ path: join(this.shotsDir, file), fullPage: true, animations: 'disabled' });
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    await this.proxy.close();
  }
}
