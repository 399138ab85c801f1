/**
 * How many sends must wait for Telegram's answer at once to keep a rate: the rate times the round
 * trip. At 1,000 a second and 40 ms to Telegram's servers that is 40; a fixed 16 would hold the
 * worker to 400 a second. The round trip is a moving average of the answers seen, with room for
 * its jitter; the limit never drops below `floor` nor exceeds `ceiling` (which also bounds what a
 * killed worker can send twice).
 */
export class InFlightLimit {
  private roundTripMs = 0;

  constructor(private readonly ratePerSecond: number, private readonly floor: number, private readonly ceiling: number) {}

  /** A send's answer came back `ms` after it left. */
  answered(ms: number): void {
    this.roundTripMs = this.roundTripMs === 0 ? ms : this.roundTripMs * 0.9 + ms * 0.1;
  }

  get current(): number {
    const needed = Math.ceil((this.ratePerSecond * this.roundTripMs * 1.5) / 1000) + 1;
    return Math.min(this.ceiling, Math.max(Math.min(this.floor, this.ceiling), needed));
  }
}
