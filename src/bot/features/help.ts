import { Composer, InlineKeyboard } from 'grammy';
import type { KuotaContext } from '../context.js';
import { onTap } from '../on-tap.js';
import { MAX_LINES_PER_USER } from '../../services/lines.js';
import { CB } from '../keyboards.js';
import { replaceOrSay, say } from '../reply.js';

export const HELP_TOPICS = ['how', 'plan', 'paying', 'auto_renew', 'store', 'precautions', 'esim', 'human'] as const;

function topics(ctx: KuotaContext, current?: string) {
  const keyboard = new InlineKeyboard();
  HELP_TOPICS.forEach((topic, i) => {
    keyboard.text(`${topic === current ? '• ' : ''}${ctx.locale.t(`help.topics.${topic}.title`)}`, CB.helpTopic(topic));
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard.row().text(ctx.locale.t('common.main_menu'), CB.menu('home'));
}

export const showHelp = (ctx: KuotaContext, edit = false) =>
  (edit ? replaceOrSay : say)(ctx, ctx.locale.t('help.menu'), topics(ctx));

type Topic = (typeof HELP_TOPICS)[number];

/** One topic's answer, with the other topics below it. */
export function showHelpTopic(ctx: KuotaContext, topic: Topic, supportContact: string, edit = false) {
  const { t } = ctx.locale;
  return (edit ? replaceOrSay : say)(
    ctx,
    `<b>${t(`help.topics.${topic}.title`)}</b>\n\n${t(`help.topics.${topic}.text`, { contact: supportContact, max: MAX_LINES_PER_USER })}`,
    topics(ctx, topic),
  );
}

/** /help: topics from the travellers' guide, one screen each, with buttons between them. */
export function helpFeature(supportContact: string) {
  const feature = new Composer<KuotaContext>();
  const index = showHelp;

  feature.command('help', (ctx) => index(ctx, false));
  feature.callbackQuery(CB.menu('help'), async (ctx) => {
    await ctx.answerCallbackQuery();
    await index(ctx, false);
  });
  feature.use(
    onTap('helpTopic', async (ctx, topic) => {
      if (!(HELP_TOPICS as readonly string[]).includes(topic))
        return ctx.answerCallbackQuery(ctx.locale.t('common.stale_button'));
      await ctx.answerCallbackQuery();
      await showHelpTopic(ctx, topic as Topic, supportContact, true);
    }),
  );
  return feature;
}
