import { sequentialize } from '@grammyjs/runner';
import { conversations, createConversation } from '@grammyjs/conversations';
import { Bot, GrammyError, type Context, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { i18n } from 'i18next';
import type { Db } from '../adapters/db/client.js';
import type { Logger } from '../logger.js';
import type { ChatLocks } from '../adapters/db/chat-locks.js';
import { chatOrder } from './chat-order.js';
import type { KuotaContext } from './context.js';
import { autoRenewSetupConversation } from './auto-renew/setup-conversation.js';
import { linkLineConversation } from './conversations/link-line.js';
import { publishNoticeConversation } from './notices/publish-conversation.js';
import { renewConversation } from './renewal/renew-conversation.js';
import { buyEsimConversation } from './esim-sales/buy-conversation.js';
import { buyEsimFeature } from './esim-sales/feature.js';
import { CONVERSATION_VERSION, type ConversationArgs } from './conversations/shared.js';
import { prismaConversationStorage } from './conversation-storage.js';
import { autoRenewFeature, showAutoRenew } from './auto-renew/feature.js';
import { chatMembershipFeature } from './features/chat-membership.js';
import { cleanInput } from './features/clean-input.js';
import { checkoutFeature } from './renewal/checkout.js';
import { showDataLeft } from './usage/data-left.js';
import { fallbackFeature } from './features/fallback.js';
import { helpFeature, showHelp, showHelpTopic } from './features/help.js';
import { historyFeature, showHistory } from './features/history.js';
import { languageFeature } from './features/language.js';
import { linesFeature, showLines } from './features/lines.js';
import { loadTraveller } from './features/locale.js';
import { operatorFeature } from './notices/status.js';
import { operatorConsoleFeature } from './features/operator-console.js';
import { noticesFeature } from './notices/feature.js';
import { renewNowFeature } from './renewal/renew-now.js';
import { settingsFeature } from './features/settings.js';
import { orderLinkFeature } from './features/order-link.js';
import { storeLinkFeature } from './stores/link.js';
import { claimLinkFeature } from './features/claim-link.js';
import { esimPartnerFeature } from './esim-partner/feature.js';
import { startFeature } from './features/start.js';
import { starsFeature } from './stars/feature.js';
import { starsRefundFeature } from './stars/refund.js';
import { starsSubscriptionFeature } from './stars/subscription.js';
import { freeTextFeature } from './features/free-text.js';
import { askForLocation, storesFeature } from './stores/feature.js';
import { createIntentMatcher } from './intents.js';
import { supportedLanguages } from './i18n.js';
import { CB, mainMenu } from './keyboards.js';
import { isMenuTap } from './callback-data.js';
import { onTap } from './on-tap.js';
import { pacedReplies } from './paced-replies.js';
import { say } from './reply.js';
import { SendPacer } from '../jobs/send-pacer.js';
import type { BotServices } from './services.js';

export type BotDeps = {
  token: string;
  apiRoot: string;
  /** The HTTP client for the Bot API (grammY's node-fetch when absent). */
  fetch?: (url: string, init?: never) => Promise<unknown>;
  services: BotServices;
  i18n: i18n;
  db: Db;
  logger: Logger;
  now: () => Date;
  supportContact: string;
  /** Where the web console is served; /admin links point there. */
  consoleUrl: string;
  /** Skips getMe at start (tests, and instances that already know who they are). */
  botInfo?: UserFromGetMe;
  /** Orders each chat across instances (PostgreSQL); without it, within this process only. */
  chatLocks?: ChatLocks;
  /**
   * No other instance handles this bot's updates (SQLite; PostgreSQL by long polling, which Telegram
   * gives one receiver): each chat is ordered by `sequentialize` alone, without `chatLocks`, and its
   * conversation state may be kept in memory.
   */
  handlesUpdatesAlone?: () => boolean;
  /** Sees each raw Bot API call (each retry included, 429s too): installed before auto-retry. */
  observeCalls?: Transformer;
  /** Told of each update handled: its kind, how long it took (its wait behind the chat's earlier ones included), whether it failed. */
  onHandled?: (kind: string, seconds: number, failed: boolean) => void;
  /**
   * The process's send budget, shared with the outbox (replies go first), and whether replies pay
   * for their sends while the free rate is spent. Without it, replies keep to the free rate alone.
   */
  replies?: { budget: SendPacer; pay: boolean };
};

export function createBot(deps: BotDeps): Bot<KuotaContext> {
  const { services, i18n, logger } = deps;
  const bot = new Bot<KuotaContext>(deps.token, {
    client: { apiRoot: deps.apiRoot, ...(deps.fetch && { fetch: deps.fetch as never }) },
    botInfo: deps.botInfo,
  });
  if (deps.observeCalls) bot.api.config.use(deps.observeCalls);
  // Replies are paced in the send budget and never wait out a 429 inside the update; other calls
  // retry a 429 or a 5xx a few times. Conversations make an Api of their own: installed there too.
  const paced = pacedReplies({ ...(deps.replies ?? { budget: new SendPacer(30), pay: false }), logger });
  bot.api.config.use(paced);

  const onHandled = deps.onHandled;
  if (onHandled)
    bot.use(async (ctx, next) => {
      const started = performance.now();
      const kind = Object.keys(ctx.update).find((k) => k !== 'update_id') ?? 'unknown';
      let failed = true;
      try {
        await next();
        failed = false;
      } finally {
        onHandled(kind, (performance.now() - started) / 1000, failed);
      }
    });
  // One chat's updates in order, so its conversation state is never written by two at once.
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  if (deps.chatLocks) bot.use(chatOrder(deps.chatLocks, deps.handlesUpdatesAlone ?? (() => false)));
  bot.use(cleanInput);
  bot.use(chatMembershipFeature(services, i18n));
  bot.use(starsFeature(services, i18n, logger));
  bot.use(loadTraveller(services, i18n));

  bot.use(
    conversations<KuotaContext, Context>({
      storage: {
        type: 'key',
        version: CONVERSATION_VERSION,
        adapter: prismaConversationStorage(deps.db, { remember: deps.handlesUpdatesAlone, now: deps.now }),
        getStorageKey: (ctx) => ctx.chat?.id.toString(),
      },
      plugins: [
        (ctx, next) => {
          ctx.api.config.use(paced);
          return next();
        },
      ],
    }),
  );

  bot.command('cancel', async (ctx, next) => {
    if (Object.keys(ctx.conversation.active()).length === 0) return next();
    await ctx.conversation.exitAll();
    await say(ctx, ctx.locale.t('common.cancelled'), mainMenu(ctx.locale.t));
  });
  // A command or a menu tap starts afresh: whatever conversation was waiting is left.
  bot.use(async (ctx, next) => {
    const isCommand = ctx.message?.text?.startsWith('/') ?? false;
    const menuTap = isMenuTap(ctx.callbackQuery?.data);
    if ((isCommand || menuTap) && Object.keys(ctx.conversation.active()).length) await ctx.conversation.exitAll();
    return next();
  });

  bot.use(createConversation<KuotaContext, Context>(linkLineConversation(services, i18n), 'link'));
  bot.use(createConversation<KuotaContext, Context>(renewConversation(services, i18n), 'renew'));
  bot.use(createConversation<KuotaContext, Context>(buyEsimConversation(services, i18n), 'buyEsim'));
  bot.use(createConversation<KuotaContext, Context>(autoRenewSetupConversation(services, i18n), 'autoRenew'));
  bot.use(
    createConversation<KuotaContext, Context>(
      publishNoticeConversation(services, i18n, supportedLanguages()),
      'notice',
    ),
  );

  const args = (ctx: KuotaContext): ConversationArgs => ({
    userId: ctx.user.id,
    language: ctx.user.language,
    timezone: ctx.user.timezone,
  });
  const enterLink = (ctx: KuotaContext) =>
    ctx.conversation.enter('link', { ...args(ctx), language: ctx.locale.language });
  const enterRenew = (ctx: KuotaContext, lineId?: string): Promise<void> =>
    ctx.conversation.enter('renew', { ...args(ctx), language: ctx.locale.language, lineId });
  bot.command(['link', 'add'], enterLink);
  bot.callbackQuery(CB.menu('link'), async (ctx) => {
    await ctx.answerCallbackQuery();
    await enterLink(ctx);
  });
  bot.command('renew', (ctx) => enterRenew(ctx));
  bot.callbackQuery(CB.menu('renew'), async (ctx) => {
    await ctx.answerCallbackQuery();
    await enterRenew(ctx);
  });
  bot.use(
    onTap('renewLine', async (ctx, lineId) => {
      await ctx.answerCallbackQuery();
      await enterRenew(ctx, lineId);
    }),
  );

  bot.use(renewNowFeature(services, deps.now, enterRenew));
  bot.use(
    buyEsimFeature(services, (ctx, query) =>
      ctx.conversation.enter('buyEsim', { ...args(ctx), language: ctx.locale.language, query }),
    ),
  );
  bot.use(
    autoRenewFeature(services, (ctx, lineId) =>
      ctx.conversation.enter('autoRenew', { ...args(ctx), language: ctx.locale.language, lineId }),
    ),
  );
  bot.use(
    operatorFeature(services, (ctx) =>
      ctx.conversation.enter('notice', { ...args(ctx), language: ctx.locale.language, operatorId: ctx.from!.id }),
    ),
  );
  bot.use(starsSubscriptionFeature(services));
  bot.use(starsRefundFeature(services));
  bot.use(orderLinkFeature(services));
  bot.use(storeLinkFeature(services, logger));
  bot.use(claimLinkFeature(services));
  bot.use(esimPartnerFeature(services));
  bot.use(startFeature(logger));
  bot.use(operatorConsoleFeature(services.operator, deps.consoleUrl));
  bot.use(helpFeature(deps.supportContact));
  bot.use(languageFeature(services, i18n, logger));
  bot.use(linesFeature(services, deps.now));
  bot.use(historyFeature(services));
  bot.use(settingsFeature(services, deps.now));
  bot.use(noticesFeature(services));
  bot.use(storesFeature(services, deps.now));
  bot.use(
    freeTextFeature(services, createIntentMatcher(i18n, supportedLanguages()), {
      renew: (ctx) => enterRenew(ctx),
      link: enterLink,
      help: (ctx) => showHelp(ctx),
      paying: (ctx) => showHelpTopic(ctx, 'paying', deps.supportContact),
      stores: (ctx) => askForLocation(ctx, services),
      numbers: (ctx) => showLines(ctx, services, deps.now),
      // With one line, straight to its auto-renew; with several, My numbers, where each has its button.
      autorenew: async (ctx) => {
        const lines = await services.lines.list(ctx.user.id);
        return lines.length === 1 ? showAutoRenew(ctx, services, lines[0]!, false) : showLines(ctx, services, deps.now);
      },
      history: (ctx) => showHistory(ctx, services),
      data: (ctx) => showDataLeft(ctx, services),
    }),
  );
  bot.use(checkoutFeature(services, deps.now));
  bot.use(fallbackFeature());

  bot.catch(async (err) => {
    logger.error({ err: err.error, updateId: err.ctx.update.update_id }, 'update failed');
    const ctx = err.ctx;
    // Held back by Telegram's limits: the error text would be held back the same, and is not the news.
    if (err.error instanceof GrammyError && err.error.error_code === 429) return;
    if (ctx.locale && ctx.chat) await say(ctx, ctx.locale.t('common.error')).catch(() => undefined);
  });
  return bot;
}
