/**
 * Simulated time: starts at the real time and then runs `speed` simulated seconds per real second,
 * plus whatever `advance` adds. Milliseconds since the epoch, like Date.now().
 */
import { performance } from 'node:perf_hooks';

export class SimClock {
  private baseSim: number;
  private baseReal: number;
  private speed: number;

  constructor(
    speed = 1,
    private readonly realNow: () => number = () => performance.now(),
  ) {
    this.speed = checkedSpeed(speed);
    this.baseSim = Date.now();
    this.baseReal = this.realNow();
  }

  now(): number {
    return this.baseSim + (this.realNow() - this.baseReal) * this.speed;
  }

  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError(`advance needs a non-negative number of seconds, got ${seconds}`);
    this.baseSim += seconds * 1000;
  }

  getSpeed(): number {
    return this.speed;
  }

  /** Re-bases first, so time already simulated at the old speed is kept. */
  setSpeed(speed: number): void {
    const checked = checkedSpeed(speed);
    this.baseSim = this.now();
    this.baseReal = this.realNow();
    this.speed = checked;
  }
}

function checkedSpeed(speed: number): number {
  // 0 freezes time, so tests can drive everything through advance().
  if (!Number.isFinite(speed) || speed < 0) throw new RangeError(`speed must be a non-negative number, got ${speed}`);
  return speed;
}
