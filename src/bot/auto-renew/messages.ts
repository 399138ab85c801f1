import { InlineKeyboard } from 'grammy';
import type { Trigger } from '../../domain/auto-renew.js';
import { planName } from '../../domain/plan.js';
import { monthDate } from '../../domain/auto-renew.js';
import type { AutoRenewView, MonthlySpend } from '../../services/auto-renew/auto-renew.js';
import { dataAmount, lineName, money, starsCount, type Locale } from '../format.js';
import { CB } from '../keyboards.js';

export function whenText(l: Locale, trigger: Trigger, lowDataMb: number | null, hours: number): string {
  return trigger === 'low_data' && lowDataMb !== null
    ? l.t('autorenew.when_low', { data: dataAmount(l, lowDataMb), count: hours })
    : l.t('autorenew.when_before', { count: hours });
}

export function cardText(l: Locale, card: { brand: string; last4: string } | null): string {
  if (!card) return l.t('autorenew.no_card');
  return l.t('autorenew.card', { brand: card.brand.charAt(0).toUpperCase() + card.brand.slice(1), last4: card.last4 });
}

/** The manage screen: where auto-renew stands for a line, and what can be done about it. */
export function autoRenewScreen(
  l: Locale,
  name: string,
  lineId: string,
  view: AutoRenewView | null,
  hours: number,
  starsOffer?: { stars: number; active: boolean } | null,
): { text: string; keyboard: InlineKeyboard } {
  const { t } = l;
  const keyboard = new InlineKeyboard();
  if (!view || view.state === 'off') {
    keyboard
      .text(t('autorenew.setup'), CB.autoRenew('setup', lineId))
      .row()
      .text(t('autorenew.back'), CB.menu('numbers'));
    return { text: `${t('autorenew.intro', { name, count: hours })}\n\n${t('autorenew.card_why')}`, keyboard };
  }
  const text = t('autorenew.status', {
    name,
    state: t(`autorenew.state.${view.state}`),
    plan: view.plan ? planName(view.plan, l.language) : '—',
    cap: money(l, view.cap),
    spent: money(l, view.spent),
    when: whenText(l, view.trigger, view.lowDataMb, hours),
    card: view.starsSubscription
      ? t('stars.subscription_active', { stars: starsCount(l, view.starsSubscription) })
      : cardText(l, view.card),
  });
  // "Change plan or budget" is long in most languages, so it has a row of its own.
  if (view.state === 'pending_card') keyboard.text(t('autorenew.add_card'), CB.autoRenew('card', lineId)).row();
  if (view.state === 'pending_card' && starsOffer && !starsOffer.active)
    keyboard
      .text(t('stars.subscribe_button', { stars: starsCount(l, starsOffer.stars) }), CB.starsSubscription(lineId))
      .row();
  if (view.state === 'active') keyboard.text(t('autorenew.pause'), CB.autoRenew('pause', lineId));
  if (view.state === 'paused') keyboard.text(t('autorenew.resume'), CB.autoRenew('resume', lineId));
  keyboard.text(t('autorenew.off'), CB.autoRenew('off', lineId)).row();
  keyboard.text(t('autorenew.change'), CB.autoRenew('setup', lineId)).row();
  if (view.state !== 'pending_card') keyboard.text(t('autorenew.replace_card'), CB.autoRenew('card', lineId));
  keyboard.text(t('autorenew.spending'), CB.autoRenewSpending).row();
  keyboard.text(t('autorenew.back'), CB.menu('numbers'));
  return { text: view.state === 'pending_card' ? `${text}\n\n${t('autorenew.card_why')}` : text, keyboard };
}

/** The Stripe page that saves a card, with why only cards. */
export function cardLinkMessage(l: Locale, url: string, until: string): { text: string; keyboard: InlineKeyboard } {
  return {
    text: `${l.t('autorenew.card_link', { until })}\n\n${l.t('autorenew.card_why')}`,
    keyboard: new InlineKeyboard().url(l.t('autorenew.open_card_page'), url),
  };
}

/** What auto-renew spent, per month and line; null when it has charged nothing in those months. */
export function spendingText(l: Locale, rows: MonthlySpend[]): string | null {
  const { t } = l;
  if (!rows.some((r) => r.renewals > 0)) return null;
  const monthName = new Intl.DateTimeFormat(l.language, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const blocks = [...new Set(rows.map((r) => r.month))].map((month) => {
    const items = rows
      .filter((r) => r.month === month)
      .map((r) =>
        t('autorenew.spending_item', {
          name: lineName(r),
          spent: money(l, r.spent),
          cap: r.cap ? money(l, r.cap) : '—',
          renewals: new Intl.NumberFormat(l.language).format(r.renewals),
        }),
      );
    return `${t('autorenew.spending_month', { month: monthName.format(monthDate(month)) })}\n${items.join('\n')}`;
  });
  return `${t('autorenew.spending_title')}\n\n${blocks.join('\n\n')}`;
}
