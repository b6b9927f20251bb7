/**
 * A leaky bucket as the CRM counts it (Bitrix24: every request adds one, the bucket drains by
 * `perSecond`, a request over `burst` is refused with QUERY_LIMIT_EXCEEDED). `book` says when a
 * request may go so the bucket never overflows, and counts it as sent then. After the CRM said
 * "too many", `closeUntil` keeps every request back until then.
 */
export class RateBucket {
  private level = 0;
  private at = 0;
  private closedUntil = 0;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
  ) {}

  /** The time (ms) the next request may be sent; it is counted as sent then. */
  book(now: number): number {
    // The level is known as of `at`, which is later than now only when requests are already waiting.
    const start = Math.max(now, this.closedUntil, this.at);
    this.drain(start);
    // Room for one more: wait until the level has drained below the burst.
    const over = this.level + 1 - this.burst;
    const sendAt = over > 0 ? start + (over / this.perSecond) * 1000 : start;
    this.drain(sendAt);
    this.level += 1;
    return Math.ceil(sendAt);
  }

  /** The CRM refused a request as over its limit: nothing goes until `until`, and the bucket counts as full. */
  closeUntil(until: number): void {
    this.closedUntil = Math.max(this.closedUntil, until);
    this.level = this.burst;
    this.at = Math.max(this.at, until);
  }

  /** Until when requests are held back after a refusal (0 when they are not). */
  closedUntilMs(): number {
    return this.closedUntil;
  }

  private drain(to: number): void {
    if (to <= this.at) return;
    this.level = Math.max(0, this.level - ((to - this.at) / 1000) * this.perSecond);
    this.at = to;
  }
}
