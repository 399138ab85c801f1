import type { Context } from 'grammy';
import { InlineKeyboard } from 'grammy';
import type { i18n, TFunction } from 'i18next';
import {
  countryName,
  destinationFromKey,
  destinationKey,
  matchDestination,
  POPULAR_DESTINATIONS,
  REGIONS,
  type Destination,
} from '../../domain/destinations.js';
import { planName } from '../../domain/plan.js';
import { escapeHtml } from '../../escape-html.js';
import type { EsimPlanView } from '../../services/esim-sales/shop.js';
import { dataAmount, money, type Locale } from '../format.js';
import { plain } from '../keyboards.js';
import { payButtons } from '../renewal/order-summary.js';
import { starsInvoiceTexts } from '../stars/messages.js';
import type { BotServices } from '../services.js';
import { CB, readTap } from '../callback-data.js';
import {
  MAX_INPUT_TRIES,
  nudge,
  waitForTap,
  type ConversationArgs,
  type KuotaConversation,
} from '../conversations/shared.js';

const html = { parse_mode: 'HTML' as const };

/** A destination's name in the traveller's language: Intl's for a country, the locale's for a region. */
export function destinationName(t: TFunction, language: string, d: Destination): string {
  return d.kind === 'country' ? countryName(d.code, language) : t(`esim.region.${d.code}`);
}

/** Destination → plan → "is your phone ready?" → the order summary, paid like a renewal (checkout.ts). */
export function buyEsimConversation(services: BotServices, i18n: i18n) {
  return async function buyEsim(
    conversation: KuotaConversation,
    ctx: Context,
    args: ConversationArgs & { query?: string },
  ) {
    const t = i18n.getFixedT(args.language);
    const label = plain(t);
    const locale: Locale = { t, language: args.language, timezone: args.timezone };
    const name = (d: Destination) => destinationName(t, args.language, d);
    const button = (d: Destination) =>
      InlineKeyboard.text(label('esim.destination_button', { name: name(d) }), CB.esimDestination(destinationKey(d)));

    let destination: Destination | null = null;
    let typed = args.query;
    for (let tries = 0; !destination && tries < MAX_INPUT_TRIES; tries++) {
      if (typed === undefined) {
        const recent = await conversation.external(() => services.newEsims.shop.recentDestinations(args.userId));
        const keyboard = new InlineKeyboard();
        const recentKeys = recent.map(destinationFromKey).filter((d): d is Destination => !!d);
        if (recentKeys.length) keyboard.row(...recentKeys.map(button));
        const popular = POPULAR_DESTINATIONS.map((code): Destination => ({ kind: 'country', code })).slice(0, 6);
        for (let i = 0; i < popular.length; i += 3) keyboard.row(...popular.slice(i, i + 3).map(button));
        keyboard.row(...REGIONS.map((code) => button({ kind: 'region', code })));
        await ctx.reply(t('esim.ask_destination'), { ...html, reply_markup: keyboard });
        const answer = await conversation.waitFor(['message:text', 'callback_query:data'], {
          otherwise: nudge(t, 'text'),
        });
        if (answer.callbackQuery) {
          await answer.answerCallbackQuery();
          const picked = readTap(answer.callbackQuery.data, ['esimDestination']);
          destination = picked ? destinationFromKey(picked.values[0]) : null;
          continue;
        }
        typed = answer.message?.text ?? '';
      }
      const match = matchDestination(typed);
      if (match.ok) destination = match.destination;
      else {
        const shown = typed.slice(0, 60);
        const keyboard = new InlineKeyboard();
        for (const d of match.suggestions) keyboard.row(button(d));
        await ctx.reply(t(match.suggestions.length ? 'esim.not_found_suggest' : 'esim.not_found', { text: shown }), {
          ...html,
          ...(match.suggestions.length ? { reply_markup: keyboard } : {}),
        });
        if (match.suggestions.length) {
          const answer = await conversation.waitFor(['message:text', 'callback_query:data'], {
            otherwise: nudge(t, 'text'),
          });
          if (answer.callbackQuery) {
            await answer.answerCallbackQuery();
            const picked = readTap(answer.callbackQuery.data, ['esimDestination']);
            destination = picked ? destinationFromKey(picked.values[0]) : null;
            typed = undefined;
            continue;
          }
          typed = answer.message?.text ?? '';
          continue;
        }
        typed = undefined;
      }
    }
    if (!destination) return;
    const where = destination;

    const plans = await conversation.external(() => services.newEsims.shop.plansFor(where));
    if (!plans.length) return ctx.reply(t('esim.no_plans', { destination: name(where) }), html);
    const keyboard = new InlineKeyboard();
    const lines = plans.map((p) => `• ${planLine(locale, p)}`);
    for (const p of plans)
      keyboard
        .text(
          label('esim.plan_button', {
            data: dataAmount(locale, p.dataMb),
            validity: t('plan.validity', { count: p.validityDays }),
            price: money(locale, { amountMinor: p.priceMinor, currency: p.currency }),
          }),
          CB.esimPlan(p.code),
        )
        .row();
    await ctx.reply(
      t('esim.pick_plan', { destination: name(where), plans: lines.join('\n'), interpolation: { escapeValue: false } }),
      {
        ...html,
        reply_markup: keyboard,
      },
    );
    const pickedPlan = await waitForTap(conversation, t, 'esimPlan');
    const plan = plans.find((p) => p.code === pickedPlan.values[0]);
    if (!plan) return ctx.reply(t('esim.plan_unavailable'), html);

    const starts = plan.activationPolicy === 'installation' ? 'esim.starts_installation' : 'esim.starts_first_use';
    await ctx.reply(t('esim.check', { starts: t(starts) }), {
      ...html,
      reply_markup: new InlineKeyboard()
        .text(label('esim.ready'), CB.esimReady('yes'))
        .row()
        .text(label('esim.not_ready'), CB.esimReady('no')),
    });
    const ready = await waitForTap(conversation, t, 'esimReady');
    if (ready.values[0] !== 'yes') return ctx.reply(t('esim.check_later'), html);

    const summary = await conversation.external(() =>
      services.newEsims.shop.draft(args.userId, plan.code, where, args.language),
    );
    if ('error' in summary) return ctx.reply(t('esim.plan_unavailable'), html);
    const stars = await conversation.external(() =>
      services.stars.offer(args.userId, summary.orderId, starsInvoiceTexts(locale, summary)),
    );
    // The plan's line is translated text already escaped; the destination's name is escaped here.
    const text = t('esim.summary', {
      destination: escapeHtml(name(where)),
      plan: planLine(locale, summary.esimPlan),
      price: escapeHtml(money(locale, summary.price)),
      order: summary.orderNumber,
      interpolation: { escapeValue: false },
    });
    const shown = await ctx.reply(text, {
      ...html,
      reply_markup: payButtons(locale, summary, { offer: stars, only: services.stars.only }),
    });
    await conversation.external(() =>
      services.orders.rememberSummary(args.userId, summary.orderId, shown.chat.id, shown.message_id),
    );
  };
}

/** "5 GB · 15 days · US$12.00 — Japan only" or "… — regional: Japan, South Korea, …". */
function planLine(l: Locale, p: EsimPlanView): string {
  const coverage = p.regional
    ? l.t('esim.regional', {
        countries:
          p.countries
            .slice(0, 6)
            .map((c) => countryName(c, l.language))
            .join(', ') + (p.countries.length > 6 ? ` +${p.countries.length - 6}` : ''),
      })
    : l.t('esim.local', { country: countryName(p.countries[0] ?? '', l.language) });
  return l.t('esim.plan_line', {
    name: planName(p, l.language),
    data: dataAmount(l, p.dataMb),
    validity: l.t('plan.validity', { count: p.validityDays }),
    price: money(l, { amountMinor: p.priceMinor, currency: p.currency }),
    coverage,
  });
}
