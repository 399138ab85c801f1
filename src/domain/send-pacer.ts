/**
 * Spaces sends to stay inside Telegram's limits: `perSecond` overall, evenly spaced rather than
 * in bursts, and one message a second to any chat; a 429 pauses everything for its retry_after.
 */
export class SendPacer {
  private nextSlot = 0;
  private pausedUntil = 0;
  private readonly chatNext = new Map<number, number>();
  private readonly spacingMs: number;

  // A little over a second per chat, so network jitter never lands two inside one of Telegram's seconds.
  /**
   * A send that comes late (a timer fired late, the event loop was busy) may catch up this much of
   * the schedule; more would bunch sends beyond the 3% margin.
   */
  private readonly catchUpMs = 15;

  constructor(perSecond: number, private readonly perChatMs = 1100) {
    // 3% under the limit: evenly spaced sends at exactly the limit put one too many into some
    // second once network jitter shifts them, and every 429 costs a whole second's pause.
    this.spacingMs = 1000 / (perSecond * 0.97);
  }

  /** The time at which a message to `chatId` may go (in the past: at once); the slot is taken. */
  reserve(chatId: number, now: number): number {
    const at = Math.max(now - this.catchUpMs, this.nextSlot, this.pausedUntil, this.chatNext.get(chatId) ?? 0);
    this.nextSlot = at + this.spacingMs;
    this.chatNext.set(chatId, at + this.perChatMs);
    if (this.chatNext.size > 100_000) this.forgetBefore(now);
    return at;
  }

  /** When `chatId` could next receive a message, without taking the slot. */
  chatFreeAt(chatId: number): number {
    return this.chatNext.get(chatId) ?? 0;
  }

  pause(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
  }

  private forgetBefore(now: number): void {
    for (const [chat, at] of this.chatNext) if (at < now) this.chatNext.delete(chat);
  }
}
