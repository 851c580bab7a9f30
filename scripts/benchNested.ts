/**
 * The nested-stack bench: a 100-resource create with 3 nested stacks (7 queues and 3 nested stacks
 * of 31 queues in the root), deployed by the real machine and AWS adapter against cfn-sim. The
 * adapter reaches the simulator through a counting pass-through, so the page figures are measured
 * from outside: a DescribeStackEvents page "has news" when it carries an event that no earlier
 * page of the same stack did. The budget is pages fetched / pages with news ≤ 1.05.
 * BENCH_TRACE=1 prints each page as it is read (time, stack, news or EMPTY, events on the page).
 *
 * No CDK figures here: the side-by-side section (`aws`, benchVersus.ts) has no nested stacks.
 * design.md's notes on how the CDK polls (every 2 s, every nested stack on every tick until it
 * settles) are the comparison for nested stacks.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeploymentSession } from '../src/deployment/session';
import { progressOf } from '../src/deployment/resources';
import { AwsProvider } from '../src/providers/aws/awsProvider';
import { startCfnSim } from '../tools/cfn-sim/index';

const ROOT_QUEUES = 7;
const NESTED_STACKS = 3;
const QUEUES_PER_NESTED = 31;

/** Waves of five, each queue waiting on the one five before it: realistic depth, events in bursts. */
function queues(count: number, prefix: string): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const dependsOn = i >= 5 ? `\n    DependsOn: ${prefix}${i - 5}` : '';
    lines.push(`  ${prefix}${i}:\n    Type: AWS::SQS::Queue${dependsOn}\n    Metadata:\n      Stackwatch:\n        Seconds: ${3 + (i % 4)}`);
  }
  return lines.join('\n');
}

function rootTemplate(urls: string[]): string {
  const nested = urls.map((url, i) => `  Nested${i}:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ${url}`);
  return `Resources:\n${nested.join('\n')}\n${queues(ROOT_QUEUES, 'Queue')}\n`;
}

interface PageCount {
  pages: number;
  withNews: number;
  byStack: Map<string, { pages: number; withNews: number }>;
  calls: Map<string, number>;
}

/** A pass-through to the simulator that counts calls and, per stack, event pages and the ones that brought news. */
async function countingProxy(target: string): Promise<{ url: string; count: PageCount; close: () => Promise<void> }> {
  const count: PageCount = { pages: 0, withNews: 0, byStack: new Map(), calls: new Map() };
  const seen = new Map<string, Set<string>>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      void forward(req, body).then(({ status, contentType, text }) => {
        const params = new URLSearchParams(body);
        const action = params.get('Action') ?? req.method ?? '';
        count.calls.set(action, (count.calls.get(action) ?? 0) + 1);
        if (action === 'DescribeStackEvents') notePage(params.get('StackName') ?? '', text);
        res.writeHead(status, { 'content-type': contentType });
        res.end(text);
      });
    });
  });
  const forward = async (req: IncomingMessage, body: string): Promise<{ status: number; contentType: string; text: string }> => {
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string' && key !== 'host' && key !== 'content-length') headers[key] = value;
    const answer = await fetch(`${target}${req.url ?? '/'}`, { method: req.method, headers, body: req.method === 'GET' ? undefined : body });
    return { status: answer.status, contentType: answer.headers.get('content-type') ?? 'text/xml', text: await answer.text() };
  };
  const notePage = (stack: string, xml: string): void => {
    const known = seen.get(stack) ?? new Set<string>();
    seen.set(stack, known);
    let news = false;
    for (const match of xml.matchAll(/<EventId>([^<]+)<\/EventId>/g)) {
      const id = match[1] ?? '';
      if (!known.has(id)) news = true;
      known.add(id);
    }
    const label = stack.includes(':stack/') ? (stack.split('/')[1] ?? stack) : stack;
    if (process.env.BENCH_TRACE)
      console.error(`${new Date().toISOString().slice(17, 23)} ${label.slice(-6)} ${news ? 'news' : 'EMPTY'} ${[...xml.matchAll(/<EventId>/g)].length}`);
    const entry = count.byStack.get(label) ?? { pages: 0, withNews: 0 };
    entry.pages++;
    count.pages++;
    if (news) {
      entry.withNews++;
      count.withNews++;
    }
    count.byStack.set(label, entry);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, count, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function benchNested(speed: number): Promise<void> {
  const sim = await startCfnSim({ speed });
  const proxy = await countingProxy(sim.url);
  const urls = Array.from({ length: NESTED_STACKS }, (_, i) =>
    sim.putObject('bench-templates', `nested${i}.yaml`, `Resources:\n${queues(QUEUES_PER_NESTED, 'Queue')}\n`),
  );
  const body = rootTemplate(urls);
  const provider = new AwsProvider({
    region: 'us-east-1',
    endpoint: proxy.url,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
  });
  const started = Date.now();
  const session = DeploymentSession.start(
    { deploymentId: `bench-nested-${Date.now().toString(36)}`, target: { provider: 'aws', name: 'bench-nested', region: 'us-east-1' }, autoExecute: true },
    {
      provider,
      workspace: {
        preflight: async () => undefined,
        initialize: async () => ({
          template: { path: 'bench-nested.yaml', body, format: 'yaml', sizeBytes: Buffer.byteLength(body) },
          parameters: [],
          capabilities: [],
          warnings: [],
        }),
      },
    },
  );
  const end = await session.finished;
  const endSeenAt = Date.now();
  const wallMs = endSeenAt - started;
  session.dispose();
  provider.dispose();
  await proxy.close();
  await sim.close();

  const { count } = proxy;
  const rows = Object.keys(end.context.resources).length;
  const progress = progressOf(end.context.changes, end.context.resources);
  const state = typeof end.value === 'string' ? end.value : JSON.stringify(end.value);
  console.log(
    `\n${ROOT_QUEUES + NESTED_STACKS * QUEUES_PER_NESTED}-resource create with ${NESTED_STACKS} nested stacks against cfn-sim at ${speed}x: ${state} in ${(wallMs / 1000).toFixed(1)} s wall`,
  );
  // At 1x the simulator's clock is the wall clock, so this is how late the monitor saw the end.
  const lastEvent = Date.parse(end.context.events.at(-1)?.timestamp ?? '');
  if (speed === 1 && !Number.isNaN(lastEvent))
    console.log(`the stack's final event was seen ${((endSeenAt - lastEvent) / 1000).toFixed(1)} s after it happened (budget 1.5 s)`);
  console.log(`rows: ${rows}; progress ${progress.done}/${progress.total}; polls: ${end.context.polls}; events kept: ${end.context.events.length}`);
  console.log('API calls (Stackwatch):');
  for (const [action, n] of [...count.calls].sort()) console.log(`  ${action.padEnd(22)} ${n}`);
  console.log(`  ${'total'.padEnd(22)} ${[...count.calls.values()].reduce((a, b) => a + b, 0)}`);
  console.log('DescribeStackEvents pages by stack (fetched / with news):');
  for (const [stack, entry] of [...count.byStack].sort()) console.log(`  ${stack.padEnd(40)} ${entry.pages} / ${entry.withNews}`);
  console.log(`pages fetched / pages with news: ${count.pages} / ${count.withNews} = ${(count.pages / Math.max(1, count.withNews)).toFixed(3)} (budget 1.05)`);
  console.log("CDK figures for nested stacks: not measured (the side-by-side section 'aws' has no nested stacks).");
}
