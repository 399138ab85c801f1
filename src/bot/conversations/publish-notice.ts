import type { Context } from 'grammy';
import { InlineKeyboard } from 'grammy';
import type { i18n } from 'i18next';
import { CARRIERS } from '../../domain/msisdn.js';
import { fieldText } from '../../domain/text.js';
import {
  NOTICE_BODY_MAX,
  NOTICE_TITLE_MAX,
  tidyDraft,
  type Audience,
  type NoticeDraft,
} from '../../services/notices.js';
import { list } from '../format.js';
import { DEFAULT_LANGUAGE, LANGUAGE_NAMES } from '../i18n.js';
import type { BotServices } from '../services.js';
import { MAX_INPUT_TRIES, nudge, type ConversationArgs, type KuotaConversation } from './shared.js';

const html = { parse_mode: 'HTML' as const };

/** An operator writes a notice: texts per language, the audience, a preview, then publish. */
export function publishNoticeConversation(services: BotServices, i18n: i18n, languages: string[]) {
  return async function publishNotice(
    conversation: KuotaConversation,
    ctx: Context,
    args: ConversationArgs & { operatorId: number },
  ) {
    const t = i18n.getFixedT(args.language);
    const titles: Record<string, string> = {};
    const bodies: Record<string, string> = {};

    // A text that is empty once cleaned (only control characters, say) is asked for again.
    const typedText = async (max: number) => {
      for (let i = 0; i < MAX_INPUT_TRIES; i++) {
        const kept = fieldText(
          (await conversation.waitFor('message:text', { otherwise: nudge(t, 'text') })).message.text,
          max,
        );
        if (kept) return kept;
        await ctx.reply(t('common.type_text'), html);
      }
      return null;
    };
    const askTexts = async (lng: string) => {
      await ctx.reply(t('admin.ask_title', { language: LANGUAGE_NAMES[lng] ?? lng }), html);
      const title = await typedText(NOTICE_TITLE_MAX);
      if (!title) return false;
      await ctx.reply(t('admin.ask_body', { language: LANGUAGE_NAMES[lng] ?? lng }), html);
      const body = await typedText(NOTICE_BODY_MAX);
      if (!body) return false;
      titles[lng] = title;
      bodies[lng] = body;
      return true;
    };

    await ctx.reply(t('admin.start'), html);
    if (!(await askTexts(DEFAULT_LANGUAGE))) return ctx.reply(t('common.too_many_tries'), html);
    for (let i = 0; i < languages.length; i++) {
      const missing = languages.filter((l) => !titles[l]);
      if (!missing.length) break;
      const keyboard = new InlineKeyboard();
      missing.forEach((l, j) => {
        keyboard.text(`+ ${LANGUAGE_NAMES[l] ?? l}`, `nl:${l}`);
        if (j % 2 === 1) keyboard.row();
      });
      keyboard.row().text(t('admin.continue'), 'nl:done');
      await ctx.reply(t('admin.more_languages'), { ...html, reply_markup: keyboard });
      const choice = await conversation.waitForCallbackQuery(/^nl:/, { otherwise: nudge(t, 'button') });
      await choice.answerCallbackQuery();
      const lng = choice.callbackQuery.data.slice(3);
      if (lng === 'done' || !languages.includes(lng)) break;
      if (!(await askTexts(lng))) break;
    }

    const audienceKeyboard = new InlineKeyboard().text(t('admin.audience_all'), 'na:all').row();
    CARRIERS.forEach((c, i) => {
      audienceKeyboard.text(t(`carrier.${c}`), `na:c:${c}`);
      if (i % 3 === 2) audienceKeyboard.row();
    });
    audienceKeyboard.row().text(t('admin.audience_plans'), 'na:plans');
    await ctx.reply(t('admin.ask_audience'), { ...html, reply_markup: audienceKeyboard });
    const picked = await conversation.waitForCallbackQuery(/^na:/, { otherwise: nudge(t, 'button') });
    await picked.answerCallbackQuery();
    let audience: Audience;
    const data = picked.callbackQuery.data;
    if (data === 'na:all') audience = { type: 'all' };
    else if (data.startsWith('na:c:')) audience = { type: 'carrier', carrier: data.slice(5) };
    else {
      await ctx.reply(t('admin.ask_plans'), html);
      const codes = (await conversation.waitFor('message:text', { otherwise: nudge(t, 'text') })).message.text
        .split(/[\s,]+/)
        .filter(Boolean);
      audience = { type: 'plans', codes };
    }

    // The preview shows what will be stored and sent: cleaned, each text cut to its length.
    const draft: NoticeDraft = tidyDraft({ titles, bodies, audience });
    const recipients = await conversation.external(() => services.notices.countAudience(audience));
    const preview = t('notices.alert', {
      title: draft.titles[args.language] ?? draft.titles[DEFAULT_LANGUAGE],
      body: draft.bodies[args.language] ?? draft.bodies[DEFAULT_LANGUAGE],
    });
    await ctx.reply(
      `${t('admin.preview', {
        count: recipients,
        languages: list(
          { language: args.language },
          Object.keys(draft.titles).map((l) => LANGUAGE_NAMES[l] ?? l),
        ),
      })}\n\n${preview}`,
      {
        ...html,
        reply_markup: new InlineKeyboard().text(t('admin.publish'), 'np:yes').text(t('admin.cancel'), 'np:no'),
      },
    );
    const confirm = await conversation.waitForCallbackQuery(/^np:/, { otherwise: nudge(t, 'button') });
    await confirm.answerCallbackQuery();
    if (confirm.callbackQuery.data !== 'np:yes') return ctx.reply(t('common.cancelled'), html);
    const noticeId = await conversation.external(
      () => `ntc${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    );
    const published = await conversation.external(() => services.notices.publish(draft, args.operatorId, noticeId));
    await ctx.reply(t('admin.published', { count: published.recipients }), html);
  };
}
