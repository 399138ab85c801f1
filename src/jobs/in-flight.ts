/**
 * How many sends may be under way at once to keep a rate: the rate times how long each holds its
 * slot (the round trip to Telegram, then the write that marks its row sent). At 1,000 a second and
 * 40 ms that is 40; a fixed 16 would hold the worker to 400 a second. The time is a moving average
 * of the sends seen, with room for its jitter; the limit never drops below `floor` nor exceeds
 * `ceiling` (which also bounds what a killed worker can send twice).
 */
export class InFlightLimit {
  private heldMs = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly floor: number,
    private readonly ceiling: number,
  ) {}

  /** A send held its slot `ms`: from leaving until its answer came back and its row was written. */
  held(ms: number): void {
    this.heldMs = this.heldMs === 0 ? ms : this.heldMs * 0.9 + ms * 0.1;
  }

  get current(): number {
    const needed = Math.ceil((this.ratePerSecond * this.heldMs * 1.5) / 1000) + 1;
    return Math.min(this.ceiling, Math.max(Math.min(this.floor, this.ceiling), needed));
  }
}
