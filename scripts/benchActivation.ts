/**
 * What VS Code pays before Stackwatch's first command can run: loading dist/extension.js and
 * calling activate(), each in a fresh Node process with a stand-in `vscode` module
 * (activationProbe.cjs), median of 9. An empty extension is probed the same way in the same run,
 * interleaved, so the number can be read against what loading any extension costs on this machine.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = 9;
const BUDGET_MS = 50;
const PROBE = join('scripts', 'activationProbe.cjs');

interface Probe {
  loadMs: number;
  activateMs?: number;
}

function probe(bundle: string): Probe {
  const out = execFileSync(process.execPath, [PROBE, bundle], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Probe;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
}

function kib(file: string): string {
  return `${(statSync(file).size / 1024).toFixed(0)} KiB`;
}

/** The development build links a source map; the shipped one (--production) is minified without. */
function buildKind(bundle: string): string {
  return readFileSync(bundle, 'utf8').includes('//# sourceMappingURL=')
    ? "development build; 'npm run build -- --production' is what ships"
    : 'production build';
}

export function benchActivation(bundle = 'dist/extension.js'): void {
  if (!existsSync(bundle)) {
    console.log(`\nactivation: ${bundle} is missing; run 'npm run build' (or 'npm run build -- --production') first.`);
    return;
  }
  const folder = mkdtempSync(join(tmpdir(), 'stackwatch-empty-extension-'));
  const empty = join(folder, 'extension.js');
  writeFileSync(empty, "'use strict';\nexports.activate = function () {};\nexports.deactivate = function () {};\n");
  const ours: Probe[] = [];
  const baseline: Probe[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      baseline.push(probe(empty));
      ours.push(probe(bundle));
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const load = median(ours.map((r) => r.loadMs));
  const activate = median(ours.map((r) => r.activateMs ?? NaN));
  const total = median(ours.map((r) => r.loadMs + (r.activateMs ?? 0)));
  const emptyTotal = median(baseline.map((r) => r.loadMs + (r.activateMs ?? 0)));
  console.log(`\nactivation, median of ${RUNS} fresh processes (stand-in vscode module; ${buildKind(bundle)}):`);
  console.log(
    `  ${bundle} (${kib(bundle)}): load ${load.toFixed(1)} ms + activate() ${activate.toFixed(1)} ms = ${total.toFixed(1)} ms (budget ${BUDGET_MS} ms: ${total <= BUDGET_MS ? 'within' : 'OVER'})`,
  );
  console.log(`  an empty extension: load + activate() ${emptyTotal.toFixed(1)} ms`);
  console.log(`  ratio: ${(total / emptyTotal).toFixed(1)}x the empty extension; ${(total - emptyTotal).toFixed(1)} ms more`);
  for (const kind of ['aws', 'gcp']) {
    const provider = join('dist', 'providers', `${kind}.js`);
    if (!existsSync(provider)) continue;
    const providerLoad = median(Array.from({ length: RUNS }, () => probe(provider).loadMs));
    console.log(`  ${provider} (${kib(provider)}), loaded on the first deploy to ${kind}: ${providerLoad.toFixed(1)} ms`);
  }
}
