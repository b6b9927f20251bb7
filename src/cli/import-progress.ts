/**
 * Progress of a long import on stderr: on a terminal, one bar redrawn in place with rows per
 * second and the time left; elsewhere (a log, CI) a plain line every few seconds.
 */
export interface ProgressFigures {
  rows: number;
  bytesRead: number;
  size: number;
  elapsedMs: number;
}

export function rateAndLeft(p: ProgressFigures): { rowsPerSec: number; secondsLeft: number | null; fraction: number } {
  const fraction = p.size > 0 ? Math.min(1, p.bytesRead / p.size) : 0;
  const seconds = p.elapsedMs / 1000;
  const rowsPerSec = seconds > 0 ? p.rows / seconds : 0;
  const secondsLeft = fraction > 0.001 && seconds > 0 ? (seconds / fraction) * (1 - fraction) : null;
  return { rowsPerSec, secondsLeft, fraction };
}

export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

export class ProgressBar {
  private lastDraw = 0;
  private readonly tty: boolean;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly plainEveryMs = 5000,
  ) {
    this.tty = Boolean(out.isTTY);
  }

  update(p: ProgressFigures, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < (this.tty ? 200 : this.plainEveryMs)) return;
    this.lastDraw = now;
    const { rowsPerSec, secondsLeft, fraction } = rateAndLeft(p);
    const figures = `${p.rows.toLocaleString('en-US')} rows, ${Math.round(rowsPerSec).toLocaleString('en-US')} rows/s, ${duration(secondsLeft)} left`;
    if (!this.tty) {
      this.out.write(`import: ${Math.round(fraction * 100)}%, ${figures}\n`);
      return;
    }
    const width = 30;
    const full = Math.round(fraction * width);
    this.out.write(`\r[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${figures}\x1b[K`);
  }

  done(): void {
    if (this.tty) this.out.write('\n');
  }
}
