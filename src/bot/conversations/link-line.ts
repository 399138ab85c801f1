import type { Context } from 'grammy';
import { InlineKeyboard } from 'grammy';
import type { i18n, TFunction } from 'i18next';
import { maskIdentifier } from '../../domain/line-identifier.js';
import type { StartLinkResult } from '../../services/lines.js';
import { looksLikeClaimCode, type ClaimResult } from '../../services/esim-partner/claim-codes.js';
import { dateTime, type Locale } from '../format.js';
import { CB } from '../keyboards.js';
import type { BotServices } from '../services.js';
import { MAX_INPUT_TRIES, nudge, retryableStep, type ConversationArgs, type KuotaConversation } from './shared.js';

const html = { parse_mode: 'HTML' as const };

/**
 * Number (or ICCID, or a shop's claim code) → operator look-up → one-time code or claim code → optional label.
 * A wrong input is answered, then its step starts again without it (retryableStep), so the stored
 * conversation does not grow with every wrong input.
 */
export function linkLineConversation(services: BotServices, i18n: i18n) {
  return async function linkLine(conversation: KuotaConversation, ctx: Context, args: ConversationArgs) {
    const t = i18n.getFixedT(args.language);
    const locale = { t, language: args.language, timezone: args.timezone };
    await ctx.reply(`${t('link.ask_number')}\n\n${t('common.cancel_hint')}`, html);

    let lineId: string | null = null;
    let masked: string;
    let started: Extract<StartLinkResult, { ok: true }> | null = null;
    const numberStep = await retryableStep(conversation, ctx.chat?.id);
    if (numberStep.tries >= MAX_INPUT_TRIES) return ctx.reply(t('link.too_many_tries'), html);
    const typedNumber = await conversation.waitFor('message:text', { otherwise: nudge(t, 'text') });
    const typed = typedNumber.message.text;
    if (looksLikeClaimCode(typed)) {
      // A claim code from a shop's receipt, typed instead of the ICCID, links the eSIM it was issued for.
      const claim = await conversation.external(() => services.esim.claimCodes.claim(args.userId, typed));
      if (!claim.ok) {
        if (await replyToClaim(ctx, t, locale, claim)) return;
        return numberStep.retry();
      }
      lineId = claim.lineId;
      masked = maskIdentifier(claim.iccid);
    } else {
      const result = await conversation.external(() => services.lines.startLink(args.userId, typed));
      if (!result.ok) {
        if ('until' in result) {
          // A cooldown passes in a minute: the traveller may send the number again then, in this same step.
          if (result.reason !== 'cooldown')
            return ctx.reply(t(`link.${result.reason}`, { until: dateTime(locale, result.until) }), html);
          await ctx.reply(t('link.cooldown', { count: result.waitSeconds }), html);
          return numberStep.retry();
        }
        const reason = result.reason;
        if (reason === 'already_linked') return ctx.reply(t('link.already_linked'), html);
        if (reason === 'too_many_lines') return ctx.reply(t('link.too_many_lines', { count: 10 }), html);
        if (reason === 'not_owned') return ctx.reply(t('link.not_owned'), html);
        const key =
          reason === 'unknown_line' || reason === 'provider_down' ? `link.${reason}` : `link.invalid.${reason}`;
        await ctx.reply(t(key), html);
        return numberStep.retry();
      }
      started = result;
      masked = maskIdentifier(started.line.identifier);
    }

    if (started?.proof === 'claim') {
      const iccid = started.line.identifier;
      await ctx.reply(t('link.ask_claim_code', { line: masked }), html);
      const claimStep = await retryableStep(conversation, ctx.chat?.id);
      if (claimStep.tries >= MAX_INPUT_TRIES) return ctx.reply(t('link.too_many_tries'), html);
      const answer = await conversation.waitFor('message:text', { otherwise: nudge(t, 'text') });
      const claim = await conversation.external(() =>
        services.esim.claimCodes.claim(args.userId, answer.message.text, iccid),
      );
      if (!claim.ok) {
        if (await replyToClaim(ctx, t, locale, claim)) return;
        return claimStep.retry();
      }
      lineId = claim.lineId;
    } else if (started) {
      const line = started.line;
      await ctx.reply(t('link.code_sent', { line: masked }), html);
      const codeStep = await retryableStep(conversation, ctx.chat?.id);
      if (codeStep.tries >= MAX_INPUT_TRIES + 2) return ctx.reply(t('link.too_many_tries'), html);
      const typedCode = await conversation.waitFor('message:text', { otherwise: nudge(t, 'text') });
      const confirmed = await conversation.external(() =>
        services.lines.confirmCode(args.userId, line, typedCode.message.text),
      );
      if (!confirmed.ok) {
        if (confirmed.reason === 'locked')
          return ctx.reply(t('link.locked', { until: dateTime(locale, confirmed.until) }), html);
        if (confirmed.reason === 'expired')
          return ctx.reply(t('link.code_expired'), {
            ...html,
            reply_markup: new InlineKeyboard().text(t('menu.link'), CB.menu('link')),
          });
        if (confirmed.reason === 'wrong_code')
          await ctx.reply(t('link.wrong_code', { count: confirmed.triesLeft }), html);
        else await ctx.reply(t(confirmed.reason === 'provider_down' ? 'link.provider_down' : 'link.not_a_code'), html);
        return codeStep.retry();
      }
      lineId = confirmed.lineId;
    }
    if (!lineId) return ctx.reply(t('link.too_many_tries'), html);
    const linked = lineId;

    await ctx.reply(t('link.ask_label'), {
      ...html,
      reply_markup: new InlineKeyboard().text(t('common.skip'), CB.skipLabel),
    });
    const labelled = await conversation.wait();
    const label = labelled.message?.text ?? null;
    if (labelled.callbackQuery) await labelled.answerCallbackQuery();
    // Echo what was kept (cleaned, cut to the label's length), never the raw text.
    const kept = label ? await conversation.external(() => services.lines.setLabel(args.userId, linked, label)) : null;
    const name = kept ? `${kept} (${masked})` : masked;
    const keyboard = new InlineKeyboard()
      .text(t('link.renew_now'), CB.renewLine(linked))
      .row()
      .text(t('common.main_menu'), CB.menu('home'));
    await ctx.reply(t('link.linked', { line: name }), { ...html, reply_markup: keyboard });
  };
}

/** The answer to a claim code that did not link; true when the step is over (the traveller must stop). */
export async function replyToClaim(
  ctx: Context,
  t: TFunction,
  locale: Locale,
  claim: Exclude<ClaimResult, { ok: true }>,
): Promise<boolean> {
  if (claim.reason === 'invalid') {
    await ctx.reply(t('link.claim_invalid', { count: claim.triesLeft }), html);
    return claim.triesLeft === 0;
  }
  if (claim.reason === 'locked') {
    await ctx.reply(t('link.claim_locked', { until: dateTime(locale, claim.until) }), html);
    return true;
  }
  if (claim.reason === 'too_many_lines') await ctx.reply(t('link.too_many_lines', { count: 10 }), html);
  else await ctx.reply(t(`link.${claim.reason}`), html);
  return claim.reason !== 'provider_down';
}
