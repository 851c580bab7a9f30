/**
 * The CDK's side of the side-by-side bench, in its own process: `@aws-cdk/toolkit-lib`'s
 * `Toolkit.deploy` with the change-set method on a cloud assembly written here (one stack, no
 * assets, no bootstrap requirement), against the simulator that AWS_ENDPOINT_URL names. Its IoHost
 * records when each stack activity (CDK_TOOLKIT_I5502, carrying the CloudFormation event) reaches
 * it: that is when the CDK shows the user a status change.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Manifest } from '@aws-cdk/cloud-assembly-schema';
import { StackSelectionStrategy, Toolkit, type IIoHost, type IoMessage, type IoRequest, type StackActivity } from '@aws-cdk/toolkit-lib';
import { childCpuMs, cpuMsSince, serveDeploys, type DeployOrder, type DeployReport } from './benchWorkerProtocol';

const ARTIFACT_ID = 'BenchStack';
const ACTIVITY = 'CDK_TOOLKIT_I5502';

/** A cloud assembly as `cdk synth` leaves it, for one stack: manifest.json and the template next to it. */
function writeAssembly(dir: string, stackName: string, template: object): void {
  mkdirSync(dir, { recursive: true });
  const templateFile = `${ARTIFACT_ID}.template.json`;
  writeFileSync(join(dir, templateFile), JSON.stringify(template, null, 1));
  const manifest = {
    version: Manifest.version(),
    artifacts: {
      [ARTIFACT_ID]: {
        type: 'aws:cloudformation:stack',
        environment: `aws://123456789012/${process.env.AWS_REGION ?? 'us-east-1'}`,
        properties: { templateFile, stackName },
      },
    },
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
}

function isActivity(message: IoMessage<unknown>): message is IoMessage<StackActivity> {
  return message.code === ACTIVITY;
}

async function deploy(order: DeployOrder): Promise<DeployReport> {
  const dir = join(order.workDir, `assembly-${order.scenario}-${order.round}`);
  writeAssembly(dir, order.stackName, order.template);
  const sightings: Record<string, number> = {};
  const ioHost: IIoHost = {
    notify: async (message) => {
      if (!isActivity(message)) return;
      const id = message.data.event.EventId;
      if (id !== undefined && !(id in sightings)) sightings[id] = Date.now();
    },
    // Security approvals and the like: what the CLI does without a terminal (`--require-approval never` is not needed for queues).
    requestResponse: async <T>(request: IoRequest<unknown, T>) => request.defaultResponse,
  };
  const toolkit = new Toolkit({ ioHost });
  const cpu = process.cpuUsage();
  const children = childCpuMs();
  const startedAt = Date.now();
  let ok = false;
  let outcome: string;
  try {
    const cx = await toolkit.fromAssemblyDirectory(dir);
    const result = await toolkit.deploy(cx, {
      stacks: { strategy: StackSelectionStrategy.ALL_STACKS },
      deploymentMethod: { method: 'change-set', execute: true },
    });
    ok = result.stacks.length === 1;
    outcome = ok ? 'deployed' : `deployed ${result.stacks.length} stacks`;
  } catch (error) {
    outcome = error instanceof Error ? error.message : String(error);
  }
  const endedAt = Date.now();
  const childrenAfter = childCpuMs();
  return {
    kind: 'report',
    tool: 'cdk',
    ok,
    outcome,
    startedAt,
    endedAt,
    cpuMs: cpuMsSince(cpu),
    childCpuMs: children === undefined || childrenAfter === undefined ? undefined : childrenAfter - children,
    sightings,
  };
}

serveDeploys(deploy);
