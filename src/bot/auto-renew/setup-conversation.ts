import type { Context } from 'grammy';
import { InlineKeyboard } from 'grammy';
import type { i18n } from 'i18next';
import { checkCap, parseCap, type Trigger } from '../../domain/auto-renew.js';
import { planName } from '../../domain/plan.js';
import { dataAmount, dateTime, lineName, money, planLabel } from '../format.js';
import { readTap } from '../callback-data.js';
import { CB, plain } from '../keyboards.js';
import { cardLinkMessage, whenText } from './messages.js';
import type { BotServices } from '../services.js';
import {
  MAX_INPUT_TRIES,
  nudge,
  waitForTap,
  type ConversationArgs,
  type KuotaConversation,
} from '../conversations/shared.js';

const html = { parse_mode: 'HTML' as const };
/** Low-data thresholds offered when the provider reports usage. */
const LOW_DATA_CHOICES_MB = [500, 1024];
const CAP_MULTIPLES = [1, 2, 4];

/** Plan → monthly budget → when (if the provider reports usage) → summary → confirm → card, if none is saved. */
export function autoRenewSetupConversation(services: BotServices, i18n: i18n) {
  return async function autoRenewSetup(
    conversation: KuotaConversation,
    ctx: Context,
    args: ConversationArgs & { lineId: string },
  ) {
    const t = i18n.getFixedT(args.language);
    const locale = { t, language: args.language, timezone: args.timezone };
    const { autoRenew } = services;

    const line = await conversation.external(() => services.lines.get(args.userId, args.lineId));
    if (!line) return ctx.reply(t('lines.gone'), html);
    const name = lineName(line);
    const current = await conversation.external(() => autoRenew.view(args.userId, line.id));
    // The plans this very line can take (an eSIM's top-ups, never a partner's new-eSIM packages).
    const plans = await conversation.external(() => services.orders.plansFor(args.userId, line.id, line));
    if (!plans.length)
      return ctx.reply(
        t('renew.no_plans', { carrier: t(`carrier.${line.carrier}`, { defaultValue: line.carrier }) }),
        html,
      );

    // The plan: the one auto-renew already uses, else the line's current one, first and ticked.
    const preferred = current?.state !== 'off' ? current?.plan?.code : undefined;
    const defaultCode = [preferred, line.planCode].find((c) => c && plans.some((p) => p.code === c));
    const ordered = defaultCode
      ? [plans.find((p) => p.code === defaultCode)!, ...plans.filter((p) => p.code !== defaultCode)]
      : plans;
    const planKeyboard = new InlineKeyboard();
    // The list above gives each plan's data, validity and price; the buttons name the plan, the current one ticked.
    for (const p of ordered)
      planKeyboard
        .text(
          p.code === defaultCode
            ? plain(t)('autorenew.current', { plan: planName(p, locale.language) })
            : planName(p, locale.language),
          CB.autoRenewPlan(p.code),
        )
        .row();
    planKeyboard.text(t('autorenew.cancel'), CB.autoRenewCancel);
    await ctx.reply(
      `${t('autorenew.ask_plan', { name })}\n\n${ordered.map((p) => `• ${planLabel(locale, p)}`).join('\n')}\n\n${t('common.cancel_hint')}`,
      { ...html, reply_markup: planKeyboard },
    );
    const pickedPlan = await waitForTap(conversation, t, 'autoRenewPlan', 'autoRenewCancel');
    if (pickedPlan.button === 'autoRenewCancel') return ctx.reply(t('common.cancelled'), html);
    const plan = plans.find((p) => p.code === pickedPlan.values[0]);
    if (!plan) return ctx.reply(t('renew.plan_unavailable'), html);
    const price = { amountMinor: plan.priceMinor, currency: plan.currency };

    // The budget: a few multiples of the price, the current budget, or typed.
    const capKeyboard = new InlineKeyboard();
    for (const n of CAP_MULTIPLES)
      capKeyboard.text(
        money(locale, { ...price, amountMinor: plan.priceMinor * n }),
        CB.autoRenewCap(plan.priceMinor * n),
      );
    capKeyboard.row();
    const keep =
      current &&
      current.state !== 'off' &&
      current.cap.currency === plan.currency &&
      current.cap.amountMinor >= plan.priceMinor
        ? current.cap
        : null;
    if (keep)
      capKeyboard.text(t('autorenew.cap_keep', { cap: money(locale, keep) }), CB.autoRenewCap(keep.amountMinor)).row();
    await ctx.reply(t('autorenew.ask_cap', { name, currency: plan.currency, price: money(locale, price) }), {
      ...html,
      reply_markup: capKeyboard,
    });
    let capMinor: number | null = null;
    for (let i = 0; i < MAX_INPUT_TRIES && capMinor === null; i++) {
      const answer = await conversation.wait();
      const tapped = readTap(answer.callbackQuery?.data, ['autoRenewCap']);
      const text = answer.message?.text;
      if (!tapped && !text) {
        await nudge(t, 'text')(answer);
        continue;
      }
      if (tapped) await answer.answerCallbackQuery();
      // A tapped amount (perhaps from an older message, for another plan) is checked like a typed one.
      const parsed = tapped
        ? checkCap(tapped.values[0], plan.priceMinor)
        : parseCap(text!, plan.currency, plan.priceMinor);
      if (parsed.ok) capMinor = parsed.amountMinor;
      else
        await ctx.reply(t(`autorenew.cap_invalid.${parsed.reason}`, { price: money(locale, price) }), {
          ...html,
          reply_markup: capKeyboard,
        });
    }
    if (capMinor === null) return ctx.reply(t('common.too_many_tries'), html);
    const cap = { amountMinor: capMinor, currency: plan.currency };

    // When: before expiry, or on low data where the provider says how much is left.
    let trigger: Trigger = 'before_expiry';
    let lowDataMb: number | null = null;
    if (autoRenew.usageReported(line.kind)) {
      const whenKeyboard = new InlineKeyboard()
        .text(t('autorenew.when_before_button', { count: autoRenew.leadHours }), CB.autoRenewWhen(null))
        .row();
      for (const mb of LOW_DATA_CHOICES_MB)
        whenKeyboard.text(t('autorenew.when_low_button', { data: dataAmount(locale, mb) }), CB.autoRenewWhen(mb)).row();
      await ctx.reply(t('autorenew.ask_when'), { ...html, reply_markup: whenKeyboard });
      const [threshold] = (await waitForTap(conversation, t, 'autoRenewWhen')).values;
      if (threshold !== null) {
        trigger = 'low_data';
        lowDataMb = threshold;
      }
    }

    const summary = t('autorenew.summary', {
      name,
      plan: planName(plan, args.language),
      cap: money(locale, cap),
      when: whenText(locale, trigger, lowDataMb, autoRenew.leadHours),
    });
    await ctx.reply(summary, {
      ...html,
      reply_markup: new InlineKeyboard()
        .text(t('autorenew.confirm'), CB.autoRenewConfirm)
        .text(t('autorenew.cancel'), CB.autoRenewCancel),
    });
    const decision = await waitForTap(conversation, t, 'autoRenewConfirm', 'autoRenewCancel');
    if (decision.button === 'autoRenewCancel') return ctx.reply(t('common.cancelled'), html);

    const result = await conversation.external(() =>
      autoRenew.configure(args.userId, line.id, { planCode: plan.code, capMinor, trigger, lowDataMb }),
    );
    if (!result.ok)
      return ctx.reply(
        t(
          result.reason === 'line_not_found'
            ? 'lines.gone'
            : result.reason === 'plan_unavailable'
              ? 'renew.plan_unavailable'
              : result.reason === 'subscription_not_cancelled'
                ? 'autorenew.stars_not_cancelled'
                : 'autorenew.cap_invalid.below_price',
          { price: money(locale, price) },
        ),
        html,
      );
    const manage = new InlineKeyboard().text(t('autorenew.back'), CB.menu('numbers'));
    if (!result.needsCard)
      return ctx.reply(t('autorenew.saved', { name, plan: planName(plan, args.language), cap: money(locale, cap) }), {
        ...html,
        reply_markup: manage,
      });

    const link = await conversation.external(async () => {
      const r = await autoRenew.cardLink(args.userId, line.id, args.language);
      return r.ok ? { url: r.url, expiresAt: r.expiresAt.toISOString() } : null;
    });
    if (!link)
      return ctx.reply(t('autorenew.unavailable'), {
        ...html,
        reply_markup: new InlineKeyboard().text(t('autorenew.add_card'), CB.autoRenew('card', line.id)),
      });
    const message = cardLinkMessage(locale, link.url, dateTime(locale, link.expiresAt));
    await ctx.reply(`${t('autorenew.needs_card', { name })}\n\n${message.text}`, {
      ...html,
      reply_markup: message.keyboard,
    });
  };
}
