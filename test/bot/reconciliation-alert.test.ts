import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Locale } from '../../src/bot/format.js';
import { createI18n, supportedLanguages } from '../../src/bot/i18n.js';
import { renderReconciliationAlert } from '../../src/bot/messages/reconciliation-alert.js';
import { attentionView } from '../../src/http/console/attention-page.js';
import { consoleLocale, createConsoleI18n } from '../../src/http/console/i18n.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/** Languages whose glossary names Telegram Stars in their own words, never the English "Telegram Stars". */
const OWN_NAME_FOR_STARS: Record<string, string> = {
  ru: 'Звёзды Telegram',
  'zh-CN': 'Telegram 星星',
  'zh-TW': 'Telegram 星星',
  ko: '텔레그램 스타',
};

describe("reconciliation alerts name the payment processor in the operator's language", () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase('sqlite');
  });
  afterEach(async () => {
    await db.drop();
  });

  const issue = (processor: string) =>
    db.db.reconciliationIssue.create({
      data: {
        processor,
        kind: 'settled_late',
        externalId: `charge-${processor}`,
        orderId: 'cm0000000000000000abcd1234',
        amountMinor: 250,
        currency: 'XTR',
      },
    });

  it('in the chat: a Stars payment is named as each language names it, and Stripe stays Stripe', async () => {
    const i18n = await createI18n();
    const stars = await issue('stars');
    const stripe = await issue('stripe');
    for (const language of supportedLanguages()) {
      const l: Locale = { t: i18n.getFixedT(language), language, timezone: 'Asia/Jakarta' };
      const alert = (await renderReconciliationAlert(db.db, l, stars.id))!;
      expect(alert, language).toContain(l.t('processor.stars'));
      if (OWN_NAME_FOR_STARS[language]) {
        expect(alert, language).toContain(OWN_NAME_FOR_STARS[language]);
        expect(alert, language).not.toContain('Telegram Stars');
      }
      expect(await renderReconciliationAlert(db.db, l, stripe.id), language).toContain('Stripe');
    }
  });

  it('in Russian, the processor never has to agree with a verb ("Звёзды Telegram принял")', async () => {
    const i18n = await createI18n();
    const l: Locale = { t: i18n.getFixedT('ru'), language: 'ru', timezone: 'Asia/Jakarta' };
    const alert = (await renderReconciliationAlert(db.db, l, (await issue('stars')).id))!;
    expect(alert).toContain('(Звёзды Telegram, charge-stars)');
    expect(alert).not.toMatch(/Звёзды Telegram (принял|вернул|отменил|сообщает)/);
  });

  it('a processor with no name yet reads as its id rather than as a missing key', async () => {
    const i18n = await createI18n();
    const l: Locale = { t: i18n.getFixedT('ru'), language: 'ru', timezone: 'Asia/Jakarta' };
    const alert = (await renderReconciliationAlert(db.db, l, (await issue('newpay')).id))!;
    expect(alert).toContain('newpay');
    expect(alert).not.toContain('processor.');
  });

  it('on the "Needs attention" page too', async () => {
    const i18n = await createConsoleI18n();
    const view = (language: string) =>
      String(
        attentionView(
          { locale: consoleLocale(i18n, language, 'UTC'), csrf: 'x', operatorId: 1, role: 'owner' },
          [
            {
              id: 'i1',
              processor: 'stars',
              kind: 'settled_late',
              externalId: 'charge-1',
              orderId: null,
              orderNumber: null,
              amount: { amountMinor: 250, currency: 'XTR' },
              at: '2026-12-07T03:00:00Z',
            },
          ],
          null,
        ),
      );
    expect(view('ru')).toContain('Звёзды Telegram');
    expect(view('ru')).not.toContain('Telegram Stars');
    expect(view('ko')).toContain('텔레그램 스타');
    expect(view('en')).toContain('Telegram Stars');
  });
});
