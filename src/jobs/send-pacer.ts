/**
 * Spaces sends to stay inside Telegram's limits: `perSecond` overall, evenly spaced rather than
 * in bursts, and one message a second to any chat; a 429 pauses everything for its retry_after.
 */
export class SendPacer {
  private nextSlot = 0;
  private pausedUntil = 0;
  private readonly chatNext = new Map<number, number>();
  /** A second after the answer to each chat's last message: its next may not leave before. */
  private readonly chatLanded = new Map<number, number>();
  private readonly spacingMs: number;
  /**
   * No second may hold more than this many arrivals at Telegram. A message arrives somewhere
   * between leaving and its answer coming back, so the count is kept on that worst case.
   */
  private readonly cap: number;
  /** When the answers to the last `cap` sends came back, oldest at `oldest` (they come back in time order). */
  private readonly landings: number[];
  private oldest = 0;
  private inFlight = 0;

  /**
   * A send that comes late (a timer fired late, the event loop was busy) may catch up this much of
   * the schedule. The cap above keeps any second within the limit all the same.
   */
  private readonly catchUpMs = 50;

  /**
   * @param perChatMs a little over a second per chat, so network jitter never lands two inside one of Telegram's seconds
   * @param earlyMs how much before its slot the caller may let a send go (timers are coarser than a gap at 1,000/s)
   */
  constructor(
    perSecond: number,
    private readonly perChatMs = 1100,
    private readonly earlyMs = 2,
  ) {
    // 3% under the limit on average: evenly spaced sends at exactly the limit leave no room for jitter.
    this.spacingMs = 1000 / (perSecond * 0.97);
    this.cap = Math.max(1, Math.floor(perSecond));
    this.landings = new Array<number>(this.cap).fill(Number.NEGATIVE_INFINITY);
  }

  /** The time at which a message to `chatId` may go (in the past: at once); the slot is taken. */
  reserve(chatId: number, now: number): number {
    const at = Math.max(
      now - this.catchUpMs,
      this.nextSlot,
      this.pausedUntil,
      this.chatNext.get(chatId) ?? 0,
      this.chatClearAt(chatId),
      this.windowFreeAt(now),
    );
    this.nextSlot = at + this.spacingMs;
    // From when it can leave at the earliest, not from a slot in the past that it catches up on.
    this.chatNext.set(chatId, Math.max(at, now) + this.perChatMs);
    if (this.chatNext.size > 100_000) this.forgetBefore(now);
    return at;
  }

  /**
   * Sends still waiting for their answer might arrive at any moment from now on; of those answered,
   * the ones answered less than a second before a new send might share its second.
   */
  private windowFreeAt(now: number): number {
    const room = this.cap - this.inFlight;
    if (room <= 0) return now + 1000 / this.cap;
    return this.landings[(this.oldest + this.cap - room) % this.cap]! + 1000 + this.earlyMs;
  }

  /** Callers keep fewer sends than this waiting for their answer (at least one always may go). */
  get maxInFlight(): number {
    return this.cap;
  }

  /** The send reserved last has left (call `landed` when its answer comes back, whatever it is). */
  departed(): void {
    this.inFlight++;
  }

  /**
   * Telegram answered a send to `chatId` (or it failed) at `at`. The message arrived before that,
   * so the chat's next one, leaving a second after, cannot arrive within a second of it.
   */
  landed(at: number, chatId?: number): void {
    if (chatId !== undefined) this.chatLanded.set(chatId, at + 1000 + this.earlyMs);
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.landings[this.oldest] = at;
    this.oldest = (this.oldest + 1) % this.cap;
  }

  /** The earliest a message to `chatId` may leave, given when its previous one was answered. */
  chatClearAt(chatId: number): number {
    return this.chatLanded.get(chatId) ?? 0;
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
    for (const [chat, at] of this.chatLanded) if (at < now) this.chatLanded.delete(chat);
  }
}
