/**
 * Issue 13's targets, each with its figure and whether it holds, from whatever sections this run
 * measured (a target whose section did not run says so), and the machine the figures came from.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { SCENARIOS } from './benchScenarios';
import { LATENCY_TARGETS } from './benchBound';
import type { ScenarioFigures } from './benchVersus';
import { distSizes, formatDistSizes } from './bundleSizes';

export interface MeasuredFigures {
  versus?: ScenarioFigures[];
  webview?: { renderMs: number; deltaMs: number };
  bundleBytes?: number;
}

interface Target {
  name: string;
  figure: number | undefined;
  limit: number;
  unit: '×' | 'ms' | 'MiB';
  /** Why there is no figure. */
  missing?: string;
}

const MIB = 1024 * 1024;

function format(value: number, unit: Target['unit']): string {
  if (unit === '×') return `${value.toFixed(2)}×`;
  if (unit === 'MiB') return `${value.toFixed(2)} MiB`;
  return `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
}

function versusTargets(versus: ScenarioFigures[] | undefined): Target[] {
  const missing = versus ? undefined : "section 'aws' not run";
  const targets: Target[] = [];
  for (const { id, title } of SCENARIOS) {
    const s = versus?.find((f) => f.scenario.id === id);
    const absent = missing ?? (s ? undefined : 'scenario not run');
    targets.push(
      { name: `${title}: status change p50`, figure: s && s.stackwatch.p50Ms / s.cdk.p50Ms, limit: LATENCY_TARGETS.p50, unit: '×', missing: absent },
      { name: `${title}: status change p95`, figure: s && s.stackwatch.p95Ms / s.cdk.p95Ms, limit: LATENCY_TARGETS.p95, unit: '×', missing: absent },
      { name: `${title}: API calls`, figure: s && s.stackwatch.calls / s.cdk.calls, limit: 1.0, unit: '×', missing: absent },
    );
  }
  const create20 = versus?.find((f) => f.scenario.id === 'create20');
  const warm = create20 && create20.stackwatch.reviewableWarmMs !== undefined && create20.cdk.reviewableWarmMs !== undefined;
  targets.push({
    name: 'deploy → reviewable change set (cfn-lint on, unchanged template)',
    figure: warm ? create20.stackwatch.reviewableWarmMs! / create20.cdk.reviewableWarmMs! : undefined,
    limit: 0.5,
    unit: '×',
    missing: missing ?? (create20 ? 'needs --rounds 2 or more (round 2 is the first with an unchanged template)' : 'scenario not run'),
  });
  return targets;
}

export function printTargets(measured: MeasuredFigures): void {
  const webviewMissing = measured.webview ? undefined : "section 'webview' not run";
  const targets: Target[] = [
    ...versusTargets(measured.versus),
    { name: 'monitor webview: 500-row change list render', figure: measured.webview?.renderMs, limit: 50, unit: 'ms', missing: webviewMissing },
    { name: 'monitor webview: one status delta', figure: measured.webview?.deltaMs, limit: 1, unit: 'ms', missing: webviewMissing },
    {
      name: 'dist/ bundles together, minified',
      figure: measured.bundleBytes === undefined ? undefined : measured.bundleBytes / MIB,
      limit: 1.5,
      unit: 'MiB',
      missing: "section 'bundle' not run",
    },
  ];
  console.log('\nTargets (issue 13; ratios are Stackwatch ÷ CDK):');
  for (const t of targets) {
    const verdict = t.figure === undefined || Number.isNaN(t.figure) ? `NOT MEASURED (${t.missing ?? 'no figure'})` : t.figure <= t.limit ? 'HOLDS' : 'MISSES';
    const figure = t.figure === undefined || Number.isNaN(t.figure) ? '-' : format(t.figure, t.unit);
    console.log(`  ${t.name.padEnd(66)} ${figure.padStart(10)}  target ≤ ${format(t.limit, t.unit).padEnd(9)} ${verdict}`);
  }
  const cores = cpus();
  console.log(`Machine: ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${cores.length} cores (os.cpus()), Node ${process.version}, ${process.platform}`);
}

/** Builds the shipped bundles (`node scripts/build.mjs --production`) and sums dist/**\/*.js (bundleSizes.ts). */
export function benchBundle(): number {
  // Its output is esbuild's size report; a failure throws with it.
  execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { stdio: 'pipe' });
  const sizes = distSizes(process.cwd());
  console.log(`\ndist/ after 'node scripts/build.mjs --production' (every .js file):`);
  console.log(formatDistSizes(sizes));
  return sizes.totalBytes;
}
