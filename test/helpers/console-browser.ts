import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TFunction } from 'i18next';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { LOCALES_DIR } from '../../src/bot/i18n.js';
import { createConsoleI18n } from '../../src/http/console/i18n.js';
import type { Traveller } from '../fakes/telegram-api.js';
import { startHarness, type Harness } from './harness.js';
import { operatorInChat } from './journeys.js';

/** Debian's Chromium, headless, driven by playwright-core: nothing is downloaded. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** The token of a fresh sign-in link, asked for with /admin as the operator would. */
export async function signInLink(h: Harness, op: Traveller): Promise<string> {
  await op.send('/admin');
  const token = /sign-in\?token=([\w-]+)/.exec(op.last().text ?? '')?.[1];
  if (!token) throw new Error(`no sign-in link in: ${op.last().text}`);
  return `${h.appUrl}/console/sign-in?token=${token}`;
}

/** An operator signed in to the console in `page`, through their /admin link. */
export async function signIn(h: Harness, page: Page, operatorId: number): Promise<Traveller> {
  const op = await operatorInChat(h, operatorId);
  await page.goto(await signInLink(h, op));
  await page.getByRole('button').click();
  await page.waitForURL(/\/console$/);
  return op;
}

/** The two screens the console is checked on: a laptop and a phone. */
export const SCREENS = [
  { name: 'desktop', width: 1366, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
/** The narrowest screen the console is made for (issue 24: "from 360 px up"). */
export const SMALL_PHONE = { name: 'small-phone', width: 360, height: 740 } as const;

/** Every console message and uncaught error the page logs, CSP refusals included. */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    // A page asked for on purpose with an error status (a 401, a 404) is checked by its test, not here.
    if (m.text().startsWith('Failed to load resource') && m.location().url === page.url()) return;
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** How much wider than the screen the page is (0: it fits), and what sticks out, for the failure message. */
export async function overflow(page: Page): Promise<{ excess: number; widest: string[] }> {
  return page.evaluate(() => {
    const doc = globalThis as unknown as {
      document: {
        documentElement: { scrollWidth: number; clientWidth: number };
        querySelectorAll(s: string): Iterable<{
          getBoundingClientRect(): { right: number };
          tagName: string;
          className: string;
        }>;
      };
      innerWidth: number;
    };
    const width = doc.document.documentElement.clientWidth;
    const widest = [...doc.document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { excess: doc.document.documentElement.scrollWidth - width, widest };
  });
}

/** A console label in English, from locales/en/console.json, so tests follow the copy. */
export async function consoleCopy(): Promise<TFunction> {
  return (await createConsoleI18n()).getFixedT('en');
}

/** A chat string in English, from locales/en/translation.json (no interpolation). */
export function chatCopy(key: string): string {
  const tree = JSON.parse(readFileSync(path.join(LOCALES_DIR, 'en', 'translation.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  return key.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], tree) as string;
}

/** The CSRF token of the page's forms: what a forged post would carry from a signed-in browser. */
export async function csrfToken(page: Page): Promise<string> {
  return (await page.locator('input[name=_csrf]').first().getAttribute('value'))!;
}

/** Fails, naming what sticks out, when the page is wider than its screen. */
export async function expectFits(page: Page): Promise<void> {
  expect(await overflow(page)).toEqual({ excess: 0, widest: [] });
}

/** A form field by its name, as the server reads it. */
export const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);

/** A browser window of its own (cookies apart), with every console error it logs collected. */
export interface ConsoleWindow {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

/** One screen of SCREENS, or any size a test needs. */
type Screen = { width: number; height: number };

export interface ConsoleSuite {
  /** The shop of the running test: a fresh one for each test. */
  readonly h: Harness;
  readonly browser: Browser;
  /** The console's English copy. */
  readonly t: TFunction;
  /** A new window on `screen` (a laptop's, SCREENS[0], unless given), not signed in, in British English unless `options` say otherwise. */
  open(screen?: Screen, options?: BrowserContextOptions): Promise<ConsoleWindow>;
  /** A new window signed in as `operatorId` through their /admin link; `chat` is their chat with the bot. */
  signedIn(
    operatorId: number,
    screen?: Screen,
    options?: BrowserContextOptions,
  ): Promise<ConsoleWindow & { chat: Traveller }>;
  /** `supportId` made a support operator by the owner, then signed in in a window of their own. */
  asSupport(supportId: number, screen?: Screen): Promise<ConsoleWindow & { chat: Traveller }>;
}

/**
 * The setting of every console browser test, registered in the calling `describe`: one Chromium for the file,
 * a fresh shop for each test whose owner (in ADMIN_IDS) is `owner`, and every window a test opens closed after it.
 */
export function consoleSuite(options: {
  owner: number;
  db?: 'sqlite' | 'postgresql';
  env?: Record<string, string>;
  /** A shop of another make (its own fakes beside it): given the settings, it starts one and says how to stop it. */
  start?: (env: Record<string, string>) => Promise<{ h: Harness; stop?: () => Promise<void> }>;
}): ConsoleSuite {
  let browser: Browser | undefined;
  let h: Harness | undefined;
  let stopExtras: (() => Promise<void>) | undefined;
  let t: TFunction | undefined;
  const windows: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
    t = await consoleCopy();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    const env = { ADMIN_IDS: String(options.owner), ...options.env };
    ({ h, stop: stopExtras } = options.start
      ? await options.start(env)
      : { h: await startHarness({ db: options.db, env }), stop: undefined });
  });
  afterEach(async () => {
    for (const context of windows.splice(0)) await context.close();
    await h?.stop();
    await stopExtras?.();
  });
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is only there inside a test`);
    return value;
  };
  const suite: ConsoleSuite = {
    get h() {
      return ready(h, 'the harness');
    },
    get browser() {
      return ready(browser, 'the browser');
    },
    get t() {
      return ready(t, 'the copy');
    },
    async open(screen, contextOptions) {
      const context = await suite.browser.newContext({
        locale: 'en-GB',
        viewport: screen ?? SCREENS[0],
        ...contextOptions,
      });
      windows.push(context);
      const page = await context.newPage();
      return { context, page, errors: consoleErrors(page) };
    },
    async signedIn(operatorId, screen, contextOptions) {
      const window = await suite.open(screen, contextOptions);
      const chat = await signIn(suite.h, window.page, operatorId);
      return { ...window, chat };
    },
    async asSupport(supportId, screen) {
      await suite.h.app.services.operator.operators.setSupport(options.owner, supportId, true);
      return suite.signedIn(supportId, screen);
    },
  };
  return suite;
}
