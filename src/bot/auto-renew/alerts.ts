import { InlineKeyboard } from 'grammy';
import type { Db } from '../../adapters/db/client.js';
import { planName } from '../../domain/plan.js';
import { dateTime, lineName, money, relativeTime, type Locale } from '../format.js';
import { CB } from '../keyboards.js';
import { cardText } from './messages.js';

/** Why an off-session charge did not go through, as the traveller reads it. */
const INTRO: Record<string, string> = {
  authentication_required: 'autorenew.authentication',
  declined: 'autorenew.declined',
  refused: 'autorenew.card_unusable',
  unavailable: 'autorenew.stripe_unavailable',
};

type Payload = { chargeId?: string; lineId?: string; spentMinor?: number; reason?: string; final?: boolean };

/**
 * Auto-renew's messages, rendered when sent: a saved card, a renewal held back by the budget, a
 * refused card. null when it no longer applies (paid meanwhile, the line renewed another way).
 */
export async function renderAutoRenewAlert(
  db: Db,
  l: Locale,
  kind: string,
  payload: Payload,
  leadHours: number,
  now: Date,
): Promise<{ text: string; keyboard?: InlineKeyboard } | null> {
  const { t } = l;

  if (kind === 'autorenew_card_saved') {
    const ar = await db.autoRenew.findUnique({ where: { lineId: payload.lineId! }, include: { line: true } });
    if (!ar || ar.state === 'off' || !ar.cardLast4) return null;
    const plan = await db.plan.findUnique({ where: { code: ar.planCode } });
    const text = t(ar.state === 'paused' ? 'autorenew.card_saved_paused' : 'autorenew.card_saved', {
      card: cardText(l, { brand: ar.cardBrand ?? 'card', last4: ar.cardLast4 }),
      name: lineName(ar.line),
      plan: plan ? planName({ names: plan.names as Record<string, string>, code: plan.code }, l.language) : ar.planCode,
      count: leadHours,
      cap: money(l, { amountMinor: ar.capMinor, currency: ar.currency }),
    });
    return { text, keyboard: new InlineKeyboard().text(t('autorenew.button'), CB.autoRenew('open', ar.lineId)) };
  }

  const charge = payload.chargeId
    ? await db.autoRenewCharge.findUnique({
        where: { id: payload.chargeId },
        include: { order: { include: { plan: true } }, autoRenew: { include: { line: true } } },
      })
    : null;
  if (!charge) return null;
  const line = charge.autoRenew.line;
  const expiresAt = new Date(Number(charge.periodKey.split(':')[1]));
  // Renewed some other way, or unlinked, since: nothing left to ask for.
  if (line.unlinkedAt || line.expiresAt?.getTime() !== expiresAt.getTime()) return null;
  const name = lineName(line);
  const date = dateTime(l, expiresAt);
  const change = () => [t('autorenew.raise_cap'), CB.autoRenew('setup', line.id)] as const;

  if (kind === 'autorenew_failed') {
    return {
      text: t('autorenew.plan_unavailable', { name }),
      keyboard: new InlineKeyboard()
        .text(t('reminder.renew_now'), CB.renewNow(line.id))
        .row()
        .text(t('autorenew.change'), CB.autoRenew('setup', line.id)),
    };
  }

  const order = charge.order;
  if (!order || order.state !== 'draft') return null;
  const price = money(l, { amountMinor: order.amountMinor, currency: order.currency });
  const pay = new InlineKeyboard().text(t('autorenew.pay_now', { price }), CB.pay(order.id, 'm'));

  if (kind === 'autorenew_over_cap') {
    const text = t('autorenew.over_cap', {
      name,
      price,
      date,
      spent: money(l, { amountMinor: payload.spentMinor ?? 0, currency: charge.currency }),
      cap: money(l, { amountMinor: charge.autoRenew.capMinor, currency: charge.autoRenew.currency }),
    });
    return { text, keyboard: pay.row().text(...change()) };
  }

  if (kind === 'autorenew_action_required') {
    if (charge.state === 'succeeded' || charge.state === 'superseded') return null;
    const intro = t(INTRO[payload.reason ?? ''] ?? 'autorenew.declined', { name, price, date });
    const next =
      charge.state === 'action_required' && charge.nextAttemptAt
        ? t('autorenew.retry_note', { when: relativeTime(l, charge.nextAttemptAt, now) })
        : t('autorenew.gave_up');
    return {
      text: `${intro}\n\n${next}`,
      keyboard: pay.row().text(t('autorenew.replace_card'), CB.autoRenew('card', line.id)),
    };
  }
  return null;
}
