/**
 * A discrete-event queue over simulated time. Nothing runs in the background: the server calls
 * `runUntil(now)` on every request, which fires everything that has come due, in time order, and
 * anything those tasks schedule at or before `now` as well.
 */

type Task = { at: number; seq: number; run: (at: number) => void };

export class Scheduler {
  private queue: Task[] = [];
  private seq = 0;

  at(time: number, run: (at: number) => void): void {
    const task: Task = { at: time, seq: this.seq++, run };
    // Small queues: a sorted insert is simpler than a heap and fast enough.
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1].at > time) i--;
    this.queue.splice(i, 0, task);
  }

  runUntil(now: number): void {
    while (this.queue.length > 0 && this.queue[0].at <= now) {
      const task = this.queue.shift()!;
      task.run(task.at);
    }
  }

  clear(): void {
    this.queue = [];
  }
}
