import { chromium, type Browser, type Page } from 'playwright-core';
import type { Traveller } from '../fakes/telegram-api.js';
import type { Harness } from './harness.js';
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
