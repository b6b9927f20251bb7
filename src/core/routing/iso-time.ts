/** ISO-8601 time of a decision; the date-and-minute prefix is reused while leads arrive within one minute. */
export class IsoTimeFormatter {
  private minute = Number.NaN;
  private prefix = '';

  format(time: number): string {
    if (!Number.isFinite(time)) return String(time);
    const at = Math.floor(time);
    const bucket = Math.floor(at / 60_000);
    if (bucket !== this.minute) {
      this.minute = bucket;
      // "…T08:01:00.000Z" without the seconds: "…T08:01:"
      this.prefix = new Date(bucket * 60_000).toISOString().slice(0, -7);
    }
    const ms = at - bucket * 60_000;
    const seconds = Math.floor(ms / 1000);
    const millis = ms - seconds * 1000;
    return `${this.prefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
  }
}
