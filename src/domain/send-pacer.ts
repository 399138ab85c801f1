/**
 * Spaces sends to stay inside Telegram's limits: `perSecond` overall, evenly spaced rather than
 * in bursts, and one message a second to any chat; a 429 pauses everything for its retry_after.
 */
export class SendPacer {
  private nextSlot = 0;
  private pausedUntil = 0;
  private readonly chatNext = new Map<number, number>();
  private readonly spacingMs: number;
  /** When the last sends really left (97% of the limit of them), oldest at `oldest`: no second ever holds more. */
  private readonly recent: number[];
  private oldest = 0;

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
    this.recent = new Array<number>(Math.max(1, Math.floor(perSecond * 0.97))).fill(Number.NEGATIVE_INFINITY);
  }

  /** The time at which a message to `chatId` may go (in the past: at once); the slot is taken. */
  reserve(chatId: number, now: number): number {
    // Catching up may shorten a gap, but never past what a sliding second of real departures allows.
    const windowFreeAt = this.recent[this.oldest]! + 1000;
    const at = Math.max(now - this.catchUpMs, this.nextSlot, this.pausedUntil, this.chatNext.get(chatId) ?? 0, windowFreeAt);
    this.nextSlot = at + this.spacingMs;
    this.chatNext.set(chatId, at + this.perChatMs);
    if (this.chatNext.size > 100_000) this.forgetBefore(now);
    return at;
  }

  /**
   * The send reserved last has left, now. A timer that fires late moves a send into a later
   * second; counting real departures keeps that second within the limit all the same.
   */
  departed(at: number): void {
    this.recent[this.oldest] = at;
    this.oldest = (this.oldest + 1) % this.recent.length;
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
