/**
 * What the latency targets ask of any poller, whatever it knows: the fewest reads that would show
 * a given share of a round's events within a given latency, for a clairvoyant poller that knew
 * every event's moment in advance and read right after it. And, closer to what a poller can know,
 * the reads one needs that knew each resource's usual duration exactly but not the round's draw
 * (±JITTER): each completion is then only known to fall in a window, and seeing every completion
 * within the latency takes a read every `latency` across the windows' union. Pure: no I/O.
 */

/** The latency targets, as ratios to the CDK's latency (issue 13). */
export const LATENCY_TARGETS = { p50: 0.3, p95: 0.4 } as const;

/**
 * The fewest reads, each seeing the events of the `latencyMs` before it, that cover at least
 * `share` of the events at `eventTimes` (ms, any order). A dynamic programme over the sorted events:
 * the best coverage with k reads, for growing k, where a read is best placed `latencyMs` after an
 * event that starts its span.
 */
export function clairvoyantReads(eventTimes: readonly number[], latencyMs: number, share: number): number {
  const times = [...eventTimes].sort((a, b) => a - b);
  const n = times.length;
  const needed = Math.ceil(share * n);
  if (needed === 0) return 0;
  // spanEnd[i]: the first event after the span of a read placed latencyMs after event i.
  const spanEnd: number[] = [];
  for (let i = 0, j = 0; i < n; i++) {
    while (j < n && times[j] <= times[i] + latencyMs) j++;
    spanEnd.push(j);
  }
  // covered[i]: the most events from i on that the reads so far can cover (k reads, grown by one per pass).
  let covered = new Array<number>(n + 1).fill(0);
  for (let reads = 1; reads <= n; reads++) {
    const next = new Array<number>(n + 1).fill(0);
    for (let i = n - 1; i >= 0; i--) next[i] = Math.max(next[i + 1], spanEnd[i] - i + covered[spanEnd[i]]);
    covered = next;
    if (covered[0] >= needed) return reads;
  }
  return n;
}

/** A completion's window: from its start plus its shortest duration to its start plus its longest (ms). */
export type Window = readonly [number, number];

/** The reads that put one within `latencyMs` after every moment of the windows' union. */
export function windowCoverReads(windows: readonly Window[], latencyMs: number): number {
  const sorted = [...windows].sort((a, b) => a[0] - b[0]);
  let union = 0;
  let open: [number, number] | undefined;
  for (const [from, to] of sorted) {
    if (open && from <= open[1]) open[1] = Math.max(open[1], to);
    else {
      if (open) union += open[1] - open[0];
      open = [from, to];
    }
  }
  if (open) union += open[1] - open[0];
  return Math.ceil(union / latencyMs);
}
