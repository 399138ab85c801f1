import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleSuite, expectFits, SCREENS, signIn } from '../helpers/console-browser.js';
import { databaseKinds } from '../helpers/database.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { operatorInChat, travellerWithLine } from '../helpers/journeys.js';

const OWNER = 779101;

/** Counts the page's repeating timers, those started and those still running (not cleared). */
const COUNT_INTERVALS = `(() => {
  const running = new Set();
  const counts = { started: 0, get running() { return running.size; } };
  const start = globalThis.setInterval.bind(globalThis);
  const stop = globalThis.clearInterval.bind(globalThis);
  globalThis.setInterval = (...args) => { const id = start(...args); counts.started++; running.add(id); return id; };
  globalThis.clearInterval = (id) => { running.delete(id); stop(id); };
  globalThis.intervalCounts = counts;
})();`;
const intervals = (page: Page) =>
  page.evaluate(() => {
    const { started, running } = (globalThis as unknown as { intervalCounts: { started: number; running: number } })
      .intervalCounts;
    return { started, running };
  });

describe.each(databaseKinds)('notices in the console on %s', (db) => {
  const s = consoleSuite({ owner: OWNER, db });
  const extra: Harness[] = [];
  afterEach(async () => {
    for (const other of extra.splice(0)) await other.stop();
  });

  async function write(page: Page, texts: Record<string, [string, string]>) {
    await page.goto(`${s.h.appUrl}/console/notices`);
    for (const [lng, [title, body]] of Object.entries(texts)) {
      await page.locator(`input[name=title_${lng}]`).fill(title);
      await page.locator(`textarea[name=body_${lng}]`).fill(body);
    }
  }
  const preview = (page: Page) => page.getByRole('button', { name: s.t('notices.preview') }).click();

  it.each(SCREENS)(
    '$name: refuses unknown plan codes in words, shows every language, and stops polling once delivered',
    async (screen) => {
      const { h, t } = s;
      await operatorInChat(h, OWNER);
      const ayu = await travellerWithLine(h, '0838 1212 3434');
      const budi = await travellerWithLine(h, '0817 1212 3435', 'id');
      const { context, page, errors } = await s.signedIn(OWNER, screen);
      await write(page, {
        en: ['Maintenance tonight', 'Top-ups may be slow.'],
        id: ['Perawatan malam ini', 'Isi ulang bisa lambat.'],
      });

      // Plan codes the catalog lacks are named while typing, and the preview refuses them in words. The page asks the
      // server at each change, and the answers to the questions asked before the codes were typed come back last.
      const held: (() => void)[] = [];
      await page.route(/\/console\/notices\/audience\.json/, async (route) => {
        if (!new URL(route.request().url()).searchParams.get('codes')) await new Promise<void>((r) => held.push(r));
        await route.continue();
      });
      await page.getByLabel(t('notices.plans'), { exact: true }).check();
      await page.locator('input[name=codes]').fill('NOPE-1');
      const unknownPlans = () => page.locator('#unknown-plans').textContent();
      await expect.poll(unknownPlans).toBe(t('notices.problem.unknown_plans', { codes: 'NOPE-1' }));
      expect(held.length).toBeGreaterThan(0);
      let lateAnswers = 0;
      page.on('requestfinished', (r) => {
        if (r.url().includes('/console/notices/audience.json') && !new URL(r.url()).searchParams.get('codes'))
          lateAnswers++;
      });
      const late = held.length;
      for (const release of held.splice(0)) release();
      await expect.poll(() => lateAnswers).toBe(late);
      // The page reads an answer a moment after it arrives.
      await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
      expect(await unknownPlans()).toBe(t('notices.problem.unknown_plans', { codes: 'NOPE-1' }));
      await page.unroute(/\/console\/notices\/audience\.json/);
      await preview(page);
      expect(await page.locator('[data-problem]').allTextContents()).toEqual([
        t('notices.problem.unknown_plans', { codes: 'NOPE-1' }),
      ]);
      await expectFits(page);

      // Everyone: the preview shows each language's text and who will get it, then it goes out.
      await page.getByLabel(t('notices.all'), { exact: true }).check();
      await preview(page);
      expect(
        await page.locator('[data-text]').evaluateAll((cards) => cards.map((c) => c.getAttribute('lang'))),
      ).toEqual(['en', 'id']);
      // The owner wrote to the bot too: three travellers.
      expect(await page.locator('[data-audience-summary]').textContent()).toBe(
        `${t('notices.all')} · ${t('notices.audience_count', { count: 3 })}`,
      );
      await expectFits(page);
      await page.addInitScript(COUNT_INTERVALS);
      // The messages wait at Telegram until the page is seen still sending.
      const release = h.telegram.hold('sendMessage');
      try {
        await page.getByRole('button', { name: t('notices.publish') }).click();
        await page.waitForURL(/\/console\/notices\/[\w-]+$/);
        expect(await page.locator('[data-text=id] h3').textContent()).toBe('Perawatan malam ini');
        expect(await page.locator('[data-text=en] h3').textContent()).toBe('Maintenance tonight');
        expect(await page.locator('[data-status-url]').getAttribute('data-live')).toBe('polling');
        expect(await intervals(page)).toEqual({ started: 1, running: 1 });
      } finally {
        release();
      }
      await ayu.waitFor((text) => text.includes('Maintenance tonight'));
      await budi.waitFor((text) => text.includes('Perawatan malam ini'));
      await expect
        .poll(() => page.locator('[data-status-url]').getAttribute('data-live'), { timeout: 20_000 })
        .toBe('done');
      expect(await page.locator('[data-count=sent]').textContent()).toBe('3');
      await expectFits(page);
      // Done: the page's script has stopped its timer, so it asks the server nothing more.
      expect(await intervals(page)).toEqual({ started: 1, running: 0 });
      // Drawn again once delivered, the page starts no timer at all.
      await page.reload();
      expect(await intervals(page)).toEqual({ started: 0, running: 0 });
      expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
      await context.close();
    },
    150_000,
  );

  it.each(SCREENS)(
    '$name: schedules a notice, cancels another, and the scheduler publishes it once, with two instances',
    async (screen) => {
      const { h, t } = s;
      await operatorInChat(h, OWNER);
      const ayu = await travellerWithLine(h, '0838 1212 3434');
      const { context, page, errors } = await s.signedIn(OWNER, screen);
      const zone = (await h.database.db.consoleSession.findFirstOrThrow()).timezone;
      const local = (at: Date) =>
        new Intl.DateTimeFormat('sv-SE', {
          timeZone: zone,
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
        })
          .format(at)
          .replace(' ', 'T');
      const inTwoHours = new Date(Date.now() + 2 * 3_600_000);
      const schedule = async (title: string, at: string) => {
        await write(page, { en: [title, 'Details to follow.'] });
        await page.getByLabel(t('notices.later'), { exact: true }).check();
        await page.locator('input[name=scheduledFor]').fill(at);
        await preview(page);
      };

      // A time already past is refused in words.
      await schedule('Too late', local(new Date(Date.now() - 3_600_000)));
      expect(await page.locator('[data-problem]').allTextContents()).toEqual([t('notices.problem.time_out_of_range')]);

      await schedule('Cancelled one', local(inTwoHours));
      await page.getByRole('button', { name: t('notices.schedule') }).click();
      await page.waitForURL(/\/console\/notices\/[\w-]+$/);
      await page.getByRole('button', { name: t('notices.cancel') }).click();
      await page.waitForURL(/result=cancelled/);
      expect(await page.locator('[role=status]').textContent()).toBe(t('notices.result.cancelled'));
      expect(await page.locator('[data-state]').getAttribute('data-state')).toBe('cancelled');

      await schedule('New plans tomorrow', local(inTwoHours));
      expect(await page.locator('[data-due]').count()).toBe(1);
      await page.getByRole('button', { name: t('notices.schedule') }).click();
      await page.waitForURL(/\/console\/notices\/[\w-]+$/);
      const noticeId = new URL(page.url()).pathname.split('/').at(-1)!;
      expect(await page.locator('[data-state]').getAttribute('data-state')).toBe('scheduled');
      expect(await page.locator('[data-status-url]').count()).toBe(0);
      await expectFits(page);
      await page.goto(`${h.appUrl}/console/notices`);
      expect(await page.locator('[data-scheduled]').textContent()).toContain('New plans tomorrow');
      expect(await page.locator('[data-scheduled]').textContent()).not.toContain('Cancelled one');
      await expectFits(page);

      // Not due yet: nothing is published.
      expect(await h.app.notices.publishDue()).toEqual({ published: 0 });

      // Due, with a second instance running: the two publish it together, and each traveller is queued once.
      const second = await startHarness({ db, env: { ADMIN_IDS: String(OWNER) }, joining: h });
      extra.push(second);
      h.advance(3 * 3_600_000);
      second.advance(3 * 3_600_000);
      await Promise.all([h.app.notices.publishDue(), second.app.notices.publishDue(), h.app.notices.publishDue()]);
      await ayu.waitFor((text) => text.includes('New plans tomorrow'));
      expect(await h.database.db.outboxMessage.count({ where: { noticeId } })).toBe(2);
      expect(await h.database.db.outboxMessage.count({ where: { kind: 'notice' } })).toBe(2);
      // Three hours on, the console session has idled out: the owner signs in again.
      await signIn(h, page, OWNER);
      await page.goto(`${h.appUrl}/console/notices/${noticeId}`);
      expect(await page.locator('[data-state]').getAttribute('data-state')).toBe('published');
      // Too late to cancel now: a stale form is answered in words.
      const stale = await page.request.post(`${h.appUrl}/console/notices/${noticeId}/cancel`, {
        form: { _csrf: (await page.locator('input[name=_csrf]').first().getAttribute('value'))! },
      });
      expect(stale.url()).toContain('result=not_cancelled');
      expect(ayu.messages().filter((m) => m.text?.includes('New plans tomorrow'))).toHaveLength(1);

      // The audit log has the schedule, the cancel and the publication.
      await page.goto(`${h.appUrl}/console/audit`);
      const log = (await page.locator('main').textContent())!;
      for (const action of ['notice.schedule', 'notice.cancel', 'notice.publish'])
        expect(log).toContain(t(`audit.action.${action}`));
      expect(errors.filter((e) => !e.includes('400'))).toEqual([]);
      await context.close();
    },
    150_000,
  );

  it('keeps a scheduled notice in the database: an instance started later publishes it, once', async () => {
    const { h } = s;
    const ayu = await travellerWithLine(h, '0838 1212 3434');
    await h.app.notices.schedule(
      { titles: { en: 'After the restart' }, bodies: { en: 'Still here.' }, audience: { type: 'all' } },
      OWNER,
      'scheduled-before-restart',
      new Date(h.now().getTime() + 60 * 60_000),
    );
    const second = await startHarness({ db, env: { ADMIN_IDS: String(OWNER) }, joining: h });
    extra.push(second);
    second.advance(2 * 3_600_000);
    expect(await second.app.notices.publishDue()).toEqual({ published: 1 });
    await ayu.waitFor((text) => text.includes('After the restart'));
    expect(await second.app.notices.publishDue()).toEqual({ published: 0 });
  });
});
