/**
 * One timer, once a second, for everything on the page that counts time on its own clock (the
 * step list's elapsed times, the timeline): it runs only while something listens.
 */
const TICK_MS = 1000;

export class SecondTicker {
  private timer: number | undefined;
  private readonly listeners = new Set<(now: number) => void>();

  /** Calls `listener` every second until it is removed; adding it again is harmless. */
  add(listener: (now: number) => void): void {
    this.listeners.add(listener);
    if (this.timer === undefined) this.timer = window.setInterval(() => this.tick(), TICK_MS);
  }

  remove(listener: (now: number) => void): void {
    this.listeners.delete(listener);
    if (this.listeners.size > 0 || this.timer === undefined) return;
    window.clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = Date.now();
    for (const listener of this.listeners) listener(now);
  }
}
