import type { Conversation } from '@grammyjs/conversations';
import type { Context } from 'grammy';
import type { TFunction } from 'i18next';
import { readTap, tapOn, type ButtonName, type Tap } from '../callback-data.js';
import type { KuotaContext } from '../context.js';

export type KuotaConversation = Conversation<KuotaContext, Context>;

/** What a conversation is entered with: plain JSON, so replays never read the database for it. */
export type ConversationArgs = { userId: string; language: string; timezone: string };

/** Bump when a conversation's steps change, so half-finished old ones are dropped, not replayed wrongly. */
export const CONVERSATION_VERSION = 4;

/** Bounded so a conversation's stored replay log stays small. */
export const MAX_INPUT_TRIES = 5;

/** For an update a step does not expect: a tap on an old button or a sticker instead of text. */
export function nudge(t: TFunction, expected: 'text' | 'button') {
  return async (ctx: Context) => {
    const text = t(expected === 'text' ? 'common.type_text' : 'common.tap_a_button');
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: false });
    else await ctx.reply(text);
  };
}

/** Waits for a tap on one of these buttons (anything else is nudged), answers it, and gives its parsed values. */
export async function waitForTap<K extends ButtonName>(
  conversation: KuotaConversation,
  t: TFunction,
  ...names: K[]
): Promise<Tap<K>> {
  const tapped = await conversation.waitUntil(tapOn(...names), { otherwise: nudge(t, 'button') });
  await tapped.answerCallbackQuery();
  return readTap(tapped.callbackQuery?.data, names)!;
}

/** Tries handed from a wrong input to the replay its rewind starts at once, in this process, for the same chat. */
const handedOver = new Map<string, number>();

/**
 * A step that may be answered wrongly a few times. Conversations v2 keep every update a wait received, so a step
 * that looped would store each wrong input (4,000 characters each). Instead `retry` answers nothing itself: it
 * rewinds to before the wait, which drops the wrong input from the stored state, and the count of tries crosses
 * the rewind in memory, to be stored as one small number.
 */
export async function retryableStep(conversation: KuotaConversation, chatId: number | undefined) {
  const key = String(chatId);
  const start = conversation.checkpoint();
  const tries = await conversation.external(() => {
    const count = handedOver.get(key) ?? 0;
    handedOver.delete(key);
    return count;
  });
  return {
    tries,
    retry(): Promise<never> {
      handedOver.set(key, tries + 1);
      return conversation.rewind(start);
    },
  };
}
