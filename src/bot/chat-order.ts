import type { Context, NextFunction } from 'grammy';
import type { ChatLocks } from '../adapters/db/chat-locks.js';

/**
 * Several instances behind one webhook get one chat's updates at once: each update is handled
 * while the chat's lock is held, so a conversation never advances on two instances together.
 * When this process alone receives updates (long polling), `sequentialize` orders each chat and the
 * lock would only cost two round trips per update.
 */
export function chatOrder(locks: ChatLocks, alone: () => boolean) {
  return (ctx: Context, next: NextFunction) => {
    const chatId = ctx.chat?.id ?? ctx.from?.id;
    return chatId === undefined || alone() ? next() : locks.withLock(chatId, next);
  };
}
