/**
 * `npm run bench`: numbers, not assertions.
 * - aws: Stackwatch and the AWS CDK (@aws-cdk/toolkit-lib) side by side against the local
 *   CloudFormation simulator at real speed: create of 20, create of 100, update of 100 touching 20,
 *   `--rounds N` rounds each (default 3). See benchVersus.ts.
 * - nested: a 100-resource create with 3 nested stacks (benchNested.ts): API calls and the pages ratio.
 * - gcp: a 20-resource blueprint against the local Infrastructure Manager.
 * - bundle: the production build's dist/ sizes. activation: bundle load + activate(), next to an
 *   empty extension's. webview: the monitor's 500-row render and one delta (benchWebview.ts).
 * - house: the largest source files and the repeats inside the machine's modules.
 * Then issue 13's targets, each with its figure and HOLDS / MISSES, and the machine.
 * `npm run bench -- --only aws --rounds 1` runs only the named sections.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OAuth2Client } from 'google-auth-library';
import { GcpProvider } from '../src/providers/gcp/gcpProvider';
import { createBlueprintInitializer } from '../src/providers/gcp/initializeBlueprint';
import { startImSim } from '../tools/im-sim/index';
import { DeploymentSession } from '../src/deployment/session';
import { benchActivation } from './benchActivation';
import { benchDuplicates, benchFileSizes } from './benchHouse';
import { benchNested } from './benchNested';
import { benchBundle, printTargets, type MeasuredFigures } from './benchTargets';
import { JITTER } from './benchScenarios';
import { benchVersus } from './benchVersus';
import { printRound, printScenario } from './benchVersusReport';
import { benchWebview } from './benchWebview';
import { cfnLintProblem } from './testTools';

const RESOURCES = 20;
const SPEED = Number(process.env.BENCH_SPEED ?? 1);

/** Where the deployment ended: a final state's name, or the nested state value as JSON. */
function stateText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const SECTIONS = ['aws', 'nested', 'gcp', 'bundle', 'activation', 'webview', 'house'] as const;
type Section = (typeof SECTIONS)[number];

/** `--only a,b`: those sections; otherwise all. */
function chosenSections(argv: string[]): Set<Section> {
  const at = argv.indexOf('--only');
  const named = at === -1 ? undefined : argv[at + 1]?.split(',');
  if (!named) return new Set(SECTIONS);
  const unknown = named.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`Unknown bench section(s): ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`);
  return new Set(named as Section[]);
}

/** `--rounds N`: rounds per side-by-side scenario (default 3). */
function chosenRounds(argv: string[]): number {
  const at = argv.indexOf('--rounds');
  if (at === -1) return 3;
  const rounds = Number(argv[at + 1]);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds takes a whole number of rounds, 1 or more; got ${argv[at + 1] ?? 'nothing'}`);
  return rounds;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const sections = chosenSections(argv);
  const rounds = chosenRounds(argv);
  const measured: MeasuredFigures = {};
  if (sections.has('aws')) measured.versus = await benchAws(rounds);
  if (sections.has('nested')) await benchNested(SPEED);
  if (sections.has('gcp')) await benchGcp();
  // Before activation and webview, so both measure the build that ships.
  if (sections.has('bundle')) measured.bundleBytes = benchBundle();
  if (sections.has('activation')) benchActivation();
  if (sections.has('webview')) {
    measured.webview = await benchWebview();
    console.log(`
monitor webview: 500-row render ${measured.webview.renderMs.toFixed(1)} ms; one status delta ${measured.webview.deltaMs.toFixed(3)} ms`);
  }
  if (sections.has('house')) {
    benchFileSizes();
    benchDuplicates();
  }
  printTargets(measured);
}

/** Stackwatch and the CDK side by side, `rounds` rounds per scenario. */
async function benchAws(rounds: number): Promise<MeasuredFigures['versus']> {
  const lint = cfnLintProblem();
  console.log(`Stackwatch vs the AWS CDK (toolkit-lib), side by side against cfn-sim at 1x, ${rounds} round(s) per scenario.`);
  console.log(lint ? `  cfn-lint: NOT AVAILABLE (${lint}); Stackwatch runs without it` : '  cfn-lint: on (from PATH), as the extension runs it');
  console.log(`  durations: 2-9 s per queue (fractional), ±${JITTER * 100}% drawn anew each round, the same for both tools' stacks`);
  const figures = await benchVersus({ rounds, onRound: printRound });
  for (const scenario of figures) printScenario(scenario);
  return figures;
}

/** 20 resources in one blueprint, applied one after another by the local Infrastructure Manager. */
async function benchGcp(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'stackwatch-bench-'));
  const blocks = Array.from(
    { length: RESOURCES },
    (_, i) => `resource "google_pubsub_topic" "t${i}" {\n  # sim: seconds=${3 + (i % 4)}\n  name = "t${i}"\n}\n`,
  );
  writeFileSync(join(folder, 'main.tf'), blocks.join('\n'));
  const sim = await startImSim({ speed: SPEED });
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: sim.token });
  const settings = {
    project: 'bench',
    location: 'us-central1',
    deploymentName: 'bench',
    serviceAccount: 'bench@bench.iam.gserviceaccount.com',
    blueprintFolder: folder,
    inputValues: {},
    stagingBucket: 'bench-blueprints',
    endpoint: sim.rootUrl,
  };
  const provider = new GcpProvider(settings, { authClient });
  const started = Date.now();
  const session = DeploymentSession.start(
    { deploymentId: `bench-${Date.now().toString(36)}`, target: { provider: 'gcp', name: 'bench', region: 'us-central1' }, autoExecute: true },
    { provider, workspace: { preflight: async () => undefined, initialize: createBlueprintInitializer(settings) } },
  );
  const end = await session.finished;
  const wallMs = Date.now() - started;
  session.dispose();
  provider.dispose();
  const byCall = new Map<string, number>();
  for (const request of sim.requests()) {
    // "GET deployments/{id}/revisions/{id}/resources": the call, without the names in it.
    const shape = request.path.replace(/\/(projects|locations|deployments|revisions|previews|operations|b|o)\/[^/:?]+/g, '/$1/*');
    byCall.set(`${request.method} ${shape}`, (byCall.get(`${request.method} ${shape}`) ?? 0) + 1);
  }
  await sim.close();
  rmSync(folder, { recursive: true, force: true });
  console.log(`\n20-resource blueprint against im-sim at ${SPEED}x: ${stateText(end.value)} in ${(wallMs / 1000).toFixed(1)} s wall`);
  console.log('API calls:');
  for (const [call, count] of [...byCall].sort()) console.log(`  ${call.padEnd(78)} ${count}`);
  console.log(`  ${'total'.padEnd(78)} ${[...byCall.values()].reduce((a, b) => a + b, 0)}`);
  console.log(`polls: ${end.context.polls}; pages read: ${end.context.pagesRead}; events: ${end.context.events.length}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
