import { Composer } from 'grammy';
import type { i18n } from 'i18next';
import type { KuotaContext } from '../context.js';
import { pickLanguage } from '../i18n.js';
import type { BotServices } from '../services.js';

/**
 * The bot's own membership. In the private chat, blocking (kicked) or deleting it (left) makes the
 * traveller unreachable until they write again. In a group or a channel the bot says where it works, and leaves.
 */
export function chatMembershipFeature(services: BotServices, i18n: i18n) {
  const feature = new Composer<KuotaContext>();
  feature.on('my_chat_member', async (ctx) => {
    const { chat, from, new_chat_member: member } = ctx.myChatMember;
    const gone = member.status === 'kicked' || member.status === 'left';
    if (chat.type === 'private') {
      if (gone) await services.users.markUnreachable(from.id);
      else await services.users.markReachable(from.id, from.language_code);
      return;
    }
    if (gone) return;
    if (chat.type !== 'channel') {
      const t = i18n.getFixedT(pickLanguage(from.language_code));
      await ctx
        .reply(t('group.private_only', { bot: ctx.me.username }), { link_preview_options: { is_disabled: true } })
        .catch(() => undefined);
    }
    await ctx.leaveChat();
  });
  return feature;
}
