/**
 * Spaces sends to stay inside Telegram's limits: `perSecond` overall, evenly spaced rather than
 * in bursts, and one message a second to any chat; a 429 pauses everything for its retry_after.
 * One pacer is the process's whole budget: broadcasts (the outbox) and replies (the bot) both draw
 * on it, and a reply takes the next free slot ahead of every broadcast still waiting for one.
 */
/** Broadcasts given slots this recently are still a wave, however few left in the last second. */
const WAVE_PAUSE_MS = 3000;
/** How often the chats whose times have passed are forgotten. */
const SWEEP_EVERY_MS = 5000;

export class SendPacer {
  private nextSlot = 0;
  private pausedUntil = 0;
  private readonly chatNext = new Map<number, number>();
  /** A second after the answer to each chat's last message: its next may not leave before. */
  private readonly chatLanded = new Map<number, number>();
  /** The same for replies, which heed it only while the free rate is spent. */
  private readonly replyLanded = new Map<number, number>();
  private readonly spacingMs: number;
  private readonly perChatMs: number;
  /**
   * No second may hold more than this many arrivals at Telegram. A message arrives somewhere
   * between leaving and its answer coming back, so the count is kept on that worst case.
   */
  private readonly cap: number;
  /** When the answers to the last `cap` sends came back, oldest at `oldest` (they come back in time order). */
  private readonly landings: number[];
  private oldest = 0;
  private inFlight = 0;
  /** When the last `freePerSecond` sends left, oldest at `freeOldest`: whether the free rate is spent. */
  private readonly departures: number[];
  private freeOldest = 0;
  private sweptAt = 0;
  /** When a broadcast was last given a slot. */
  private broadcastAt = Number.NEGATIVE_INFINITY;

  /**
   * A send that comes late (a timer fired late, the event loop was busy) may catch up this much of
   * the schedule. The cap above keeps any second within the limit all the same.
   */
  private readonly catchUpMs = 50;

  /**
   * @param chatSecondMs Telegram's one message a second per chat (a local test Bot API may allow more)
   * @param earlyMs how much before its slot the caller may let a send go (timers are coarser than a gap at 1,000/s)
   * @param freePerSecond Telegram's free rate: above it within a second, a send must pay
   * @param capPerSecond sends of any kind within a second (replies too); broadcasts alone keep to `perSecond`
   */
  constructor(
    perSecond: number,
    private readonly chatSecondMs = 1000,
    private readonly earlyMs = 2,
    freePerSecond = 30,
    capPerSecond = perSecond,
  ) {
    // A little over the chat's second, so network jitter never lands two inside one of Telegram's seconds.
    this.perChatMs = chatSecondMs * 1.1;
    // 3% under the limit on average: evenly spaced sends at exactly the limit leave no room for jitter.
    this.spacingMs = 1000 / (perSecond * 0.97);
    this.cap = Math.max(1, Math.floor(capPerSecond));
    this.landings = new Array<number>(this.cap).fill(Number.NEGATIVE_INFINITY);
    this.departures = new Array<number>(freePerSecond).fill(Number.NEGATIVE_INFINITY);
  }

  /**
   * A reply to a traveller's own action: the earliest time it may go, ahead of any broadcast not yet
   * under way (their schedule moves back one slot). Idle, replies in a conversation go in short
   * bursts, as Telegram allows; while the free rate is spent (a wave), they keep a second apart in a
   * chat, as every message then must. The slot is taken unless it is more than `maxWaitMs` away (the
   * caller sends it later, asking again).
   */
  reply(chatId: number, now: number, maxWaitMs = Number.POSITIVE_INFINITY): { at: number; taken: boolean } {
    // A wave pauses between batches (a claim, a slow write) without ending: a traveller who asks again
    // then would get a burst Telegram refuses, and wait out a 429's whole second instead of half of one.
    const busy = this.freeSpentAt(now) || now - this.broadcastAt < WAVE_PAUSE_MS;
    // What holds every send back (a 429's pause, the second's cap), and what holds this chat's alone.
    const anySendAt = Math.max(now, this.pausedUntil, this.windowFreeAt(now));
    const at = Math.max(anySendAt, this.chatClearAt(chatId), busy ? (this.replyLanded.get(chatId) ?? 0) : 0);
    if (at - now > maxWaitMs) return { at, taken: false };
    this.forgetPast(now);
    // The reply goes ahead of the broadcasts still waiting: their schedule moves one gap back from when
    // any send may go. Not up to the reply's own time: a reply waiting out its chat's second in a wave
    // then moved every broadcast a second back, which held a 1,000/s wave to about 220/s (bench:wave).
    this.nextSlot = Math.max(this.nextSlot, anySendAt) + this.spacingMs;
    // A broadcast to the same chat keeps its second away from the reply.
    this.chatNext.set(chatId, Math.max(this.chatFreeAt(chatId), at + this.perChatMs));
    return { at, taken: true };
  }

  /** Telegram answered a reply to `chatId` at `at`: under a wave, the chat's next reply waits a second from it. */
  replied(chatId: number, at: number): void {
    this.replyLanded.set(chatId, at + this.chatSecondMs + this.earlyMs);
    this.landed(at);
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
    this.broadcastAt = now;
    // From when it can leave at the earliest, not from a slot in the past that it catches up on.
    this.chatNext.set(chatId, Math.max(at, now) + this.perChatMs);
    this.forgetPast(now);
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

  /**
   * Whether a send leaving at `at` might be one more than the free rate within its second. Telegram
   * counts arrivals, which drift from departures by the network's jitter and a busy event loop, so
   * the rate counts as spent from half of it on: a reply in a wave pays rather than risk a 429.
   */
  freeSpentAt(at: number): boolean {
    const margin = Math.floor(this.departures.length / 2);
    // The newest departure but `length - margin`, still under a second old.
    return this.departures[(this.freeOldest + margin) % this.departures.length]! + 1000 + this.earlyMs > at;
  }

  /** Chats whose times the budget still keeps (memory: it grows with the last seconds' chats, not with a wave's). */
  get chatsRemembered(): number {
    return Math.max(this.chatNext.size, this.chatLanded.size, this.replyLanded.size);
  }

  /** Callers keep fewer sends than this waiting for their answer (at least one always may go). */
  get maxInFlight(): number {
    return this.cap;
  }

  /** The send reserved last has left (call `landed` when its answer comes back, whatever it is). */
  departed(at = Date.now()): void {
    this.inFlight++;
    this.departures[this.freeOldest] = at;
    this.freeOldest = (this.freeOldest + 1) % this.departures.length;
  }

  /**
   * Telegram answered a send to `chatId` (or it failed) at `at`. The message arrived before that,
   * so the chat's next one, leaving a second after, cannot arrive within a second of it.
   */
  landed(at: number, chatId?: number): void {
    if (chatId !== undefined) this.chatLanded.set(chatId, at + this.chatSecondMs + this.earlyMs);
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

  /** Telegram asked `chatId` alone to wait (a 429 on a reply): its next message waits, others do not. */
  holdChat(chatId: number, untilMs: number): void {
    this.chatLanded.set(chatId, Math.max(this.chatClearAt(chatId), untilMs));
  }

  pause(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
  }

  /**
   * A chat's times matter for a second or two after its last message. Kept until the maps passed
   * 100,000 chats, a 100,000-traveller wave held three entries a traveller to its end (bench:wave's
   * peak RSS); swept every few seconds, they hold the last few seconds' chats.
   */
  private forgetPast(now: number): void {
    if (now - this.sweptAt < SWEEP_EVERY_MS) return;
    this.sweptAt = now;
    this.forgetBefore(now);
  }

  private forgetBefore(now: number): void {
    for (const [chat, at] of this.chatNext) if (at < now) this.chatNext.delete(chat);
    for (const [chat, at] of this.chatLanded) if (at < now) this.chatLanded.delete(chat);
    for (const [chat, at] of this.replyLanded) if (at < now) this.replyLanded.delete(chat);
  }
}
