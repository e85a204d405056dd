/**
 * What `ptnad watch` tells the person watching: on a terminal, one status line on stderr redrawn at most four
 * times a second (events, events/s, lag behind the newest row, last error); elsewhere (a service log), one line
 * per error and nothing else, so logs stay quiet.
 */

/** The status line / error reporter. */
export class WatchStatus {
  private events = 0;
  private readonly started = Date.now();
  private recent: Array<[number, number]> = [];
  private lastError = '';
  private lastDraw = 0;
  private position: string | undefined;

  constructor(
    private readonly write: (text: string) => void,
    private readonly tty: boolean,
    private readonly label: string,
  ) {}

  /** Counts delivered events and redraws. */
  delivered(n: number, position: string | undefined): void {
    this.events += n;
    const now = Date.now();
    this.recent.push([now, n]);
    this.recent = this.recent.filter(([t]) => t > now - 10_000);
    if (position) this.position = position;
    this.draw(false);
  }

  /** Reports a problem being retried (or survived). */
  problem(message: string): void {
    this.lastError = message;
    if (this.tty) this.draw(true);
    else this.write(`ptnad: watch: ${message}\n`);
  }

  /** Clears the line and prints the totals. */
  finish(reason: string): void {
    if (this.tty) this.write('\r\x1b[K');
    this.write(`ptnad: watch: ${reason}; ${this.events} events delivered to ${this.label}\n`);
  }

  private draw(force: boolean): void {
    if (!this.tty) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 250) return;
    this.lastDraw = now;
    const span = Math.max(1, Math.min(10_000, now - this.started)) / 1000;
    const rate = this.recent.reduce((s, [, n]) => s + n, 0) / span;
    const lag = this.position ? Math.max(0, now - Date.parse(`${this.position.slice(0, 23)}Z`)) / 1000 : undefined;
    const parts = [
      `${this.label}`,
      `${this.events} events`,
      `${rate.toFixed(1)}/s`,
      lag === undefined ? 'lag -' : `lag ${lag.toFixed(1)} s`,
    ];
    if (this.lastError) parts.push(`last error: ${this.lastError.slice(0, 120)}`);
    this.write(`\r\x1b[K${parts.join(' | ')}`);
  }
}
