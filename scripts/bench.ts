/**
 * `npm run bench`: numbers, not assertions. A 20-resource create against the local
 * CloudFormation simulator, counting the API calls the adapter makes and how many
 * DescribeStackEvents pages brought nothing new; then the bundle size.
 */
import { existsSync, statSync } from 'node:fs';
import { DeploymentSession } from '../src/deployment/session';
import { AwsProvider } from '../src/providers/aws/awsProvider';
import { startCfnSim } from '../tools/cfn-sim/index';

const RESOURCES = 20;
const SPEED = Number(process.env.BENCH_SPEED ?? 1);

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

async function main(): Promise<void> {
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
        initialize: async () => ({ template: { path: 'bench.yaml', body, format: 'yaml', sizeBytes: Buffer.byteLength(body) }, parameters: [], capabilities: [], warnings: [] }),
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
  console.log(`20-resource create against cfn-sim at ${SPEED}x: ${String(end.value)} in ${(wallMs / 1000).toFixed(1)} s wall`);
  console.log('API calls:');
  for (const [action, count] of [...byAction].sort()) console.log(`  ${action.padEnd(22)} ${count}`);
  console.log(`  ${'total'.padEnd(22)} ${[...byAction.values()].reduce((a, b) => a + b, 0)}`);
  console.log(`polls: ${polls}; DescribeStackEvents pages: ${pages}; pages with no new events: ${emptyPolls}`);
  console.log(`pages fetched / pages with new events: ${(pages / Math.max(1, pages - emptyPolls)).toFixed(2)} (budget 1.05)`);
  console.log(`events kept: ${end.context.events.length}`);

  const bundle = 'dist/extension.js';
  if (existsSync(bundle)) console.log(`bundle ${bundle}: ${(statSync(bundle).size / 1024).toFixed(0)} KiB (budget 1,536 KiB; run 'npm run build -- --production' first for the minified size)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
