import type { Context } from 'grammy';
import { InlineKeyboard } from 'grammy';
import type { i18n } from 'i18next';
import { CARRIERS } from '../../domain/msisdn.js';
import { languageNameIn } from '../../domain/language-names.js';
import { fieldText } from '../../domain/text.js';
import {
  NOTICE_BODY_MAX,
  NOTICE_TITLE_MAX,
  tidyDraft,
  type Audience,
  type NoticeDraft,
} from '../../services/notices/notices.js';
import { list } from '../format.js';
import { DEFAULT_LANGUAGE, LANGUAGE_NAMES } from '../i18n.js';
import type { BotServices } from '../services.js';
import { CB } from '../keyboards.js';
import {
  MAX_INPUT_TRIES,
  nudge,
  waitForTap,
  type ConversationArgs,
  type KuotaConversation,
} from '../conversations/shared.js';

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
      await ctx.reply(t('admin.ask_title', { language: languageNameIn(lng, args.language) }), html);
      const title = await typedText(NOTICE_TITLE_MAX);
      if (!title) return false;
      await ctx.reply(t('admin.ask_body', { language: languageNameIn(lng, args.language) }), html);
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
        keyboard.text(`+ ${LANGUAGE_NAMES[l] ?? l}`, CB.noticeLanguage(l));
        if (j % 2 === 1) keyboard.row();
      });
      keyboard.row().text(t('admin.continue'), CB.noticeLanguagesDone);
      await ctx.reply(t('admin.more_languages'), { ...html, reply_markup: keyboard });
      const choice = await waitForTap(conversation, t, 'noticeLanguage', 'noticeLanguagesDone');
      if (choice.button === 'noticeLanguagesDone') break;
      const [lng] = choice.values;
      if (!languages.includes(lng)) break;
      if (!(await askTexts(lng))) break;
    }

    const audienceKeyboard = new InlineKeyboard().text(t('admin.audience_all'), CB.noticeAudience('all')).row();
    CARRIERS.forEach((c, i) => {
      audienceKeyboard.text(t(`carrier.${c}`), CB.noticeCarrier(c));
      if (i % 3 === 2) audienceKeyboard.row();
    });
    audienceKeyboard.row().text(t('admin.audience_plans'), CB.noticeAudience('plans'));
    await ctx.reply(t('admin.ask_audience'), { ...html, reply_markup: audienceKeyboard });
    const picked = await waitForTap(conversation, t, 'noticeAudience', 'noticeCarrier');
    let audience: Audience;
    if (picked.button === 'noticeCarrier') audience = { type: 'carrier', carrier: picked.values[0] };
    else if (picked.values[0] === 'all') audience = { type: 'all' };
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
          Object.keys(draft.titles).map((l) => languageNameIn(l, args.language)),
        ),
      })}\n\n${preview}`,
      {
        ...html,
        reply_markup: new InlineKeyboard()
          .text(t('admin.publish'), CB.noticePublish('yes'))
          .text(t('admin.cancel'), CB.noticePublish('no')),
      },
    );
    const [publish] = (await waitForTap(conversation, t, 'noticePublish')).values;
    if (publish !== 'yes') return ctx.reply(t('admin.cancelled'), html);
    const noticeId = await conversation.external(
      () => `ntc${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    );
    const published = await conversation.external(() => services.notices.publish(draft, args.operatorId, noticeId));
    await ctx.reply(t('admin.published', { count: published.recipients }), html);
  };
}
