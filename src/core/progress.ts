/** Progress lines for the log. Pure: counts and times in, text out. */

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

export interface ProgressState {
  done: number;
  total: number;
  errors: number;
  unparsed: number;
  inFlight: number;
  elapsedS: number;
}

export function formatProgress(p: ProgressState): string {
  const rate = p.elapsedS > 0 ? p.done / p.elapsedS : 0;
  const eta = rate > 0 ? (p.total - p.done) / rate : NaN;
  const share = p.total > 0 ? ((100 * p.done) / p.total).toFixed(1) : '100.0';
  return (
    `${p.done}/${p.total} videos (${share}%), ${rate.toFixed(2)} videos/s, ` +
    `elapsed ${formatDuration(p.elapsedS)}, ETA ${p.done >= p.total ? '0s' : formatDuration(eta)}, ` +
    `in flight ${p.inFlight}, errors ${p.errors}, unparsed ${p.unparsed}`
  );
}

/** Log at every 10% step, and at least every `everyS` seconds in between (long videos, slow GPUs). */
export class ProgressGate {
  private lastDecile = 0;
  private lastAtS = 0;
  constructor(
    private readonly total: number,
    private readonly everyS = 30,
  ) {}

  shouldLog(done: number, nowS: number): boolean {
    const decile = this.total > 0 ? Math.floor((10 * done) / this.total) : 10;
    if (decile > this.lastDecile || nowS - this.lastAtS >= this.everyS) {
      this.lastDecile = decile;
      this.lastAtS = nowS;
      return true;
    }
    return false;
  }
}
