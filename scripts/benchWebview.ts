/**
 * The monitor webview's speed (issue 13's targets): a 500-row change list rendered from one
 * snapshot to the next frame drawn, and one status delta inside its message handler. The page
 * work runs in its own process (test/webview/benchPage.ts, which drives the built page in
 * headless Chromium under the panel's HTML and CSP and times inside the page), so this module
 * needs no DOM typings and the figures are the webview's work, not the round trip.
 * `node --import tsx scripts/benchWebview.ts` runs it alone; scripts/bench.ts calls benchWebview().
 */
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..');
const ROWS = 500;
const RENDER_RUNS = 7;
const DELTA_RUNS = 21;
const TARGET_RENDER_MS = 50;
const TARGET_DELTA_MS = 1;

/** What test/webview/benchPage.ts prints: raw per-run timings in ms. */
interface PageTimings {
  rows: number;
  renders: Array<{ handler: number; frame: number; drawn: number }>;
  deltas: Array<{ handler: number; drawn: number }>;
}

/** Newest modification time under a folder (its files, recursively). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/**
 * Builds only when the bundle is missing or older than its sources, so a production build made
 * earlier in the same bench run (for the bundle sizes) is measured as it is, not replaced.
 */
function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync(join(ROOT, 'dist', 'webview', 'main.js')).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = Math.max(newest(join(ROOT, 'webview-ui', 'src')), newest(join(ROOT, 'src', 'shared')));
  if (built < sources) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'ignore' });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function isPageTimings(value: unknown): value is PageTimings {
  const v = value as Partial<PageTimings> | null;
  return typeof v === 'object' && v !== null && typeof v.rows === 'number' && Array.isArray(v.renders) && Array.isArray(v.deltas);
}

async function measure(): Promise<PageTimings> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'test', 'webview', 'benchPage.ts'), String(ROWS), String(RENDER_RUNS), String(DELTA_RUNS)],
    { cwd: ROOT, maxBuffer: 1 << 20 },
  );
  const last = stdout.trim().split('\n').pop() ?? '';
  const parsed: unknown = JSON.parse(last);
  if (!isPageTimings(parsed)) throw new Error(`benchWebview: unexpected output from benchPage.ts: ${last.slice(0, 200)}`);
  return parsed;
}

export async function benchWebview(): Promise<{ renderMs: number; deltaMs: number }> {
  ensureBuilt();
  const timings = await measure();
  if (timings.rows !== ROWS) throw new Error(`benchWebview: the page drew ${timings.rows} rows, not ${ROWS}`);
  const renderMs = median(timings.renders.map((r) => r.drawn));
  const deltaMs = median(timings.deltas.map((d) => d.handler));
  const runs = timings.renders.map((r) => r.drawn.toFixed(1)).join(', ');
  console.log(`webview: ${ROWS}-row render, snapshot to the next frame drawn: median ${renderMs.toFixed(1)} ms (runs: ${runs})`);
  console.log(
    `webview:   of which the message handler ${median(timings.renders.map((r) => r.handler)).toFixed(1)} ms, to the frame callback ${median(timings.renders.map((r) => r.frame)).toFixed(1)} ms`,
  );
  console.log(
    `webview: one status delta in its handler: median ${deltaMs.toFixed(2)} ms of ${DELTA_RUNS} (to the next frame drawn: ${median(timings.deltas.map((d) => d.drawn)).toFixed(1)} ms)`,
  );
  console.log(
    `webview: targets: render ≤ ${TARGET_RENDER_MS} ms ${renderMs <= TARGET_RENDER_MS ? 'holds' : 'MISSED'}; delta ≤ ${TARGET_DELTA_MS} ms ${deltaMs <= TARGET_DELTA_MS ? 'holds' : 'MISSED'}`,
  );
  return { renderMs, deltaMs };
}

if (require.main === module) {
  benchWebview().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
