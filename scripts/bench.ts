/**
 * `npm run bench`: numbers, not assertions. A 20-resource create against the local
 * CloudFormation simulator, counting the API calls the adapter makes and how many
 * DescribeStackEvents pages brought nothing new; the same for a 20-resource blueprint against
 * the local Infrastructure Manager; then activation (bundle load + activate(), next to an empty
 * extension's), the largest source files, and the repeats inside the machine's modules.
 * A 100-resource create with 3 nested stacks follows (benchNested.ts): API calls and the pages ratio.
 * `npm run bench -- --only activation,house` runs only the named sections (deploys: aws, nested, gcp).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OAuth2Client } from 'google-auth-library';
import { GcpProvider } from '../src/providers/gcp/gcpProvider';
import { createBlueprintInitializer } from '../src/providers/gcp/initializeBlueprint';
import { startImSim } from '../tools/im-sim/index';
import { DeploymentSession } from '../src/deployment/session';
import { AwsProvider } from '../src/providers/aws/awsProvider';
import { startCfnSim } from '../tools/cfn-sim/index';
import { benchActivation } from './benchActivation';
import { benchDuplicates, benchFileSizes } from './benchHouse';
import { benchNested } from './benchNested';

const RESOURCES = 20;
const SPEED = Number(process.env.BENCH_SPEED ?? 1);

/** Where the deployment ended: a final state's name, or the nested state value as JSON. */
function stateText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function template(): string {
  const lines = ['Resources:'];
  for (let i = 0; i < RESOURCES; i++) {
    // Four waves of five: realistic dependency depth, so events arrive in bursts with gaps.
    const dependsOn = i >= 5 ? `\n    DependsOn: Queue${i - 5}` : '';
    lines.push(`  Queue${i}:\n    Type: AWS::SQS::Queue${dependsOn}\n    Metadata:\n      Stackwatch:\n        Seconds: ${3 + (i % 4)}`);
  }
  lines.push('Outputs:', '  First:', '    Value: !Ref Queue0');
  return lines.join('\n') + '\n';
}

const SECTIONS = ['aws', 'nested', 'gcp', 'activation', 'house'] as const;
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

async function main(): Promise<void> {
  const sections = chosenSections(process.argv.slice(2));
  if (sections.has('aws')) await benchAws();
  if (sections.has('nested')) await benchNested(SPEED);
  if (sections.has('gcp')) await benchGcp();
  if (sections.has('activation')) benchActivation();
  if (sections.has('house')) {
    benchFileSizes();
    benchDuplicates();
  }
}

/** 20 resources in one template, created by the local CloudFormation simulator. */
async function benchAws(): Promise<void> {
  const sim = await startCfnSim({ speed: SPEED });
  const provider = new AwsProvider({ region: 'us-east-1', endpoint: sim.url, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1 });
  const body = template();
  const started = Date.now();
  const session = DeploymentSession.start(
    { deploymentId: `bench-${Date.now().toString(36)}`, target: { provider: 'aws', name: 'bench', region: 'us-east-1' }, autoExecute: true },
    {
      provider,
      workspace: {
        preflight: async () => undefined,
        initialize: async () => ({
          template: { path: 'bench.yaml', body, format: 'yaml', sizeBytes: Buffer.byteLength(body) },
          parameters: [],
          capabilities: [],
          warnings: [],
        }),
      },
    },
  );
  let polls = 0;
  let emptyPolls = 0;
  let lastEvents = 0;
  session.onDidChange((snapshot) => {
    if (snapshot.context.polls === polls) return;
    polls = snapshot.context.polls;
    if (snapshot.context.events.length === lastEvents) emptyPolls++;
    lastEvents = snapshot.context.events.length;
  });
  const end = await session.finished;
  const wallMs = Date.now() - started;
  session.dispose();
  provider.dispose();

  const byAction = new Map<string, number>();
  for (const call of sim.calls()) byAction.set(call.action, (byAction.get(call.action) ?? 0) + 1);
  await sim.close();

  const pages = end.context.pagesRead;
  console.log(`20-resource create against cfn-sim at ${SPEED}x: ${stateText(end.value)} in ${(wallMs / 1000).toFixed(1)} s wall`);
  console.log('API calls:');
  for (const [action, count] of [...byAction].sort()) console.log(`  ${action.padEnd(22)} ${count}`);
  console.log(`  ${'total'.padEnd(22)} ${[...byAction.values()].reduce((a, b) => a + b, 0)}`);
  console.log(`polls: ${polls}; DescribeStackEvents pages: ${pages}; pages with no new events: ${emptyPolls}`);
  console.log(`pages fetched / pages with new events: ${(pages / Math.max(1, pages - emptyPolls)).toFixed(2)} (budget 1.05)`);
  console.log(`events kept: ${end.context.events.length}`);
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
