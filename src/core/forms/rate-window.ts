/**
 * Fixed one-minute windows of counts per key, in memory: how many submissions an address or a
 * form made this minute. Pure apart from its own map; the clock is passed in. Each process
 * counts its own submissions (several processes together allow that many times the limit).
 */
export class RateWindow {
  private minute = -1;
  private counts = new Map<string, number>();

  /** Counts one hit for `key`; answers false when the key is already at `limit` this minute. */
  hit(key: string, limit: number, nowMs: number): boolean {
    const minute = Math.floor(nowMs / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.counts = new Map();
    }
    const count = this.counts.get(key) ?? 0;
    if (count >= limit) return false;
    this.counts.set(key, count + 1);
    return true;
  }

  /** Seconds until the current window ends: the Retry-After of a refusal. */
  secondsLeft(nowMs: number): number {
    return Math.max(1, Math.ceil((60_000 - (nowMs % 60_000)) / 1000));
  }
}
