/** Where the outbox's time went over a stretch of sending: what the worker logs and the wave's benchmark prints. */
export type DeliverySnapshot = {
  seconds: number;
  sent: number;
  perSecond: number;
  /** Sends waiting for Telegram's answer or their row's write when one more left: on average, at most. */
  inFlight: { average: number; most: number; limit: number };
  /** From leaving to Telegram's answer, and to the row marked sent (the slot's whole hold), on average. */
  roundTripMs: number;
  heldMs: number;
  /** All the sending loop spent waiting: for a free in-flight slot, and for the pace (the rate, a chat's second). */
  waitedForSlotMs: number;
  waitedForPaceMs: number;
  /** Per claimed batch, on average: the claim, then reading what its messages need. */
  batches: number;
  claimMs: number;
  readMs: number;
};

/** Sums since the last take(). Cheap enough for every send: a few additions. */
export class DeliveryStats {
  private since = performance.now();
  private sent = 0;
  private inFlightSum = 0;
  private inFlightMost = 0;
  private roundTripMs = 0;
  private answers = 0;
  private heldMs = 0;
  private held = 0;
  private slotMs = 0;
  private paceMs = 0;
  private batches = 0;
  private claimMs = 0;
  private readMs = 0;

  departed(inFlight: number, waitedForSlotMs: number, waitedForPaceMs: number): void {
    this.sent++;
    this.inFlightSum += inFlight;
    this.inFlightMost = Math.max(this.inFlightMost, inFlight);
    this.slotMs += waitedForSlotMs;
    this.paceMs += waitedForPaceMs;
  }

  answered(ms: number): void {
    this.roundTripMs += ms;
    this.answers++;
  }

  released(ms: number): void {
    this.heldMs += ms;
    this.held++;
  }

  claimed(claimMs: number, readMs: number): void {
    this.batches++;
    this.claimMs += claimMs;
    this.readMs += readMs;
  }

  get elapsedMs(): number {
    return performance.now() - this.since;
  }

  take(limit: number): DeliverySnapshot {
    const seconds = this.elapsedMs / 1000;
    const per = (sum: number, n: number) => (n ? Math.round((sum / n) * 10) / 10 : 0);
    const snapshot: DeliverySnapshot = {
      seconds: Math.round(seconds * 10) / 10,
      sent: this.sent,
      perSecond: Math.round(this.sent / Math.max(seconds, 0.001)),
      inFlight: { average: per(this.inFlightSum, this.sent), most: this.inFlightMost, limit },
      roundTripMs: per(this.roundTripMs, this.answers),
      heldMs: per(this.heldMs, this.held),
      waitedForSlotMs: Math.round(this.slotMs),
      waitedForPaceMs: Math.round(this.paceMs),
      batches: this.batches,
      claimMs: per(this.claimMs, this.batches),
      readMs: per(this.readMs, this.batches),
    };
    Object.assign(this, new DeliveryStats());
    return snapshot;
  }
}
