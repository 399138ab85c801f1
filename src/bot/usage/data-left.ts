import { InlineKeyboard } from 'grammy';
import type { KuotaContext } from '../context.js';
import { lineName } from '../format.js';
import { CB } from '../keyboards.js';
import { dataLeftWithTime } from './messages.js';
import { say } from '../reply.js';
import type { BotServices } from '../services.js';

/** A typed "how much data left" / "还剩多少流量" / "sisa kuota": the data left on each line that reports it. */
export async function showDataLeft(ctx: KuotaContext, services: BotServices) {
  const { t } = ctx.locale;
  const lines = await services.lines.list(ctx.user.id);
  if (!lines.length) return say(ctx, t('lines.empty'), new InlineKeyboard().text(t('menu.link'), CB.menu('link')));
  const blocks = await Promise.all(
    lines.map(async (line) => {
      const text = dataLeftWithTime(ctx.locale, await services.usage.current(line.id, line.kind));
      return `${lineName(line)}\n${text ?? t('usage.not_reported')}`;
    }),
  );
  const keyboard = new InlineKeyboard()
    .text(t('menu.renew'), CB.menu('renew'))
    .text(t('menu.numbers'), CB.menu('numbers'));
  return say(ctx, `${t('usage.title')}\n\n${blocks.join('\n\n')}`, keyboard);
}
