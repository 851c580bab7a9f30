/**
 * The page half of scripts/benchWebview.ts: renders a 500-row monitoring model and applies status
 * deltas in the built webview (headless Chromium, the panel's own HTML and CSP), timing inside the
 * page with performance.now(). Run as its own process, it prints one JSON line of raw timings;
 * it lives here, under the DOM typings, because the code it sends into the page uses them.
 */
import type { MonitorViewModel, ViewModelDelta } from '../../src/shared/viewModel';
import { bigMonitoringModel, statusDelta } from './bigModel';
import { Harness } from './harness';

export interface PageTimings {
  rows: number;
  /** Per render run: the message handler alone, to the next frame's callback, and to the first task after that frame (style, layout and paint done). */
  renders: Array<{ handler: number; frame: number; drawn: number }>;
  /** Per status delta: the message handler alone, and to the first task after the next frame. */
  deltas: Array<{ handler: number; drawn: number }>;
}

export async function measureWebview(options: { rows: number; renderRuns: number; deltaRuns: number }): Promise<PageTimings> {
  const harness = await Harness.start();
  try {
    const monitor = await harness.open({ width: 900 });
    const page = monitor.page;
    // Resolves in the first task after the next frame: the page's style, layout and paint for it are done.
    await page.evaluate(() => {
      (window as unknown as { __afterFrame: () => Promise<void> }).__afterFrame = () =>
        new Promise<void>((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve();
          requestAnimationFrame(() => channel.port2.postMessage(null));
        });
    });
    const model = bigMonitoringModel(options.rows);
    const empty: MonitorViewModel = { ...model, deploymentId: 'bench-empty', changes: [], progress: { done: 0, total: 0, failed: 0 } };

    const renders: PageTimings['renders'] = [];
    for (let run = 0; run < options.renderRuns; run++) {
      renders.push(
        await page.evaluate(
          async ([full, blank, run]) => {
            const settle = (window as unknown as { __afterFrame: () => Promise<void> }).__afterFrame;
            // Each run draws into an empty table (another deployment's empty model first), as a first snapshot does.
            window.dispatchEvent(new MessageEvent('message', { data: { type: 'snapshot', model: blank } }));
            await settle();
            const data = { type: 'snapshot', model: { ...structuredClone(full), deploymentId: `bench-${run}` } };
            const start = performance.now();
            window.dispatchEvent(new MessageEvent('message', { data }));
            const handler = performance.now() - start;
            await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
            const frame = performance.now() - start;
            await new Promise<void>((resolve) => {
              const channel = new MessageChannel();
              channel.port1.onmessage = () => resolve();
              channel.port2.postMessage(null);
            });
            return { handler, frame, drawn: performance.now() - start };
          },
          [model, empty, run] as const,
        ),
      );
    }
    const rows = await page.locator('#change-table tbody tr.change-row').count();

    // Deltas to rows in turn, each as fresh JSON from the wire; the page holds the full model.
    const firstPending = model.changes.findIndex((row) => row.status === 'pending');
    const list: ViewModelDelta[] = Array.from({ length: options.deltaRuns }, (_, i) => statusDelta(model, firstPending + i));
    const deltas = await page.evaluate(async (all) => {
      const settle = (window as unknown as { __afterFrame: () => Promise<void> }).__afterFrame;
      const out: Array<{ handler: number; drawn: number }> = [];
      for (const delta of all) {
        await settle();
        const data = { type: 'delta', delta: structuredClone(delta) };
        const start = performance.now();
        window.dispatchEvent(new MessageEvent('message', { data }));
        const handler = performance.now() - start;
        await settle();
        out.push({ handler, drawn: performance.now() - start });
      }
      return out;
    }, list);
    const problems = [...monitor.errors, ...(await monitor.cspViolations())];
    await monitor.close();
    if (problems.length > 0) throw new Error(`the monitor page reported errors: ${problems.join('; ')}`);
    return { rows, renders, deltas };
  } finally {
    await harness.close();
  }
}

if (require.main === module) {
  const [rows, renderRuns, deltaRuns] = process.argv.slice(2).map(Number);
  measureWebview({ rows: rows || 500, renderRuns: renderRuns || 7, deltaRuns: deltaRuns || 21 })
    .then((timings) => process.stdout.write(`${JSON.stringify(timings)}\n`))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
