/**
 * Due work in simulated time. Nothing runs in the background: whoever reads state first calls
 * runDue(now), which runs every job due by then in time order. A job receives the simulated
 * moment it was due, so timestamps do not depend on when somebody happened to look.
 */

interface Job {
  at: number;
  seq: number;
  run: (at: number) => void;
}

export class Scheduler {
  private jobs: Job[] = [];
  private seq = 0;

  schedule(at: number, run: (at: number) => void): void {
    this.jobs.push({ at, seq: this.seq++, run });
  }

  runDue(now: number): void {
    // Jobs may schedule more jobs, possibly already due, so pick the earliest each time round.
    for (;;) {
      let next: Job | undefined;
      for (const job of this.jobs) {
        if (job.at <= now && (!next || job.at < next.at || (job.at === next.at && job.seq < next.seq))) next = job;
      }
      if (!next) return;
      const picked = next;
      this.jobs = this.jobs.filter((j) => j !== picked);
      picked.run(picked.at);
    }
  }

  clear(): void {
    this.jobs = [];
  }
}
