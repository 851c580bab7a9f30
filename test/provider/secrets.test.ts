/**
 * The secrets acceptance test: a NoEcho parameter value (and the outputs that `!Ref` and `!Sub`
 * it) and a Google Cloud sensitive input and output never appear in what leaves the running
 * deployment: the webview's protocol messages, the log channel, history, or persisted state.
 *
 * Real deployments: the real template/blueprint step, machine, session, adapters and SDKs against
 * tools/cfn-sim and tools/im-sim. Every message the monitor panel would post is built from every
 * snapshot the session emits, every log line and every stored byte is recorded, and then every
 * captured byte is searched for the secret strings. Copy (on the host) must still read the value.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AwsStackSettings } from '../../src/providers/aws/settings';
import type { DeploymentSnapshot } from '../../src/deployment/machine';
import type { WorkspaceSteps } from '../../src/deployment/providerActors';
import { DeploymentSession, type SnapshotStore } from '../../src/deployment/session';
import type { Provider, TargetRef } from '../../src/providers/provider';
import type { HostMessage } from '../../src/shared/protocol';
import { createTemplateInitializer } from '../../src/providers/aws/template/initialize';
import { createBlueprintInitializer } from '../../src/providers/gcp/initializeBlueprint';
import { followInLog } from '../../src/ui/deploymentLog';
import { HistoryStore, historyEntry, historyMarkdown, type StateStore } from '../../src/app/history';
import { toViewModel } from '../../src/ui/viewModel';
import type { MonitorViewModel } from '../../src/shared/viewModel';
import { diffViewModel } from '../../src/shared/viewModelDelta';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { startImSim, type ImSim } from '../../tools/im-sim/index';
import { awsProvider, uniqueDeploymentId, waitForEnd } from '../support/awsDeployment';
import { gcpProvider, gcpSettings } from '../support/gcpDeployment';
import { RecordingLog } from '../support/recordingLog';

const NOECHO_VALUE = 'NoEcho-Val-5e1f9c42';
const GCP_SENSITIVE_VALUE = 'gcp-Sens1tive-Val-77ab31';

const AWS_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
  Env:
    Type: String
    Default: staging
Resources:
  Topic:
    Type: AWS::SNS::Topic
Outputs:
  Password:
    Value: !Ref DbPassword
  ConnectionString:
    Value: !Sub "postgres://app:\${DbPassword}@db.internal:5432/orders"
  TopicArn:
    Value: !Ref Topic
`;

const GCP_VARIABLES = `variable "db_password" {
  type      = string
  sensitive = true
}

variable "region" {
  type    = string
  default = "us-central1"
}
`;

const GCP_MAIN = `resource "google_pubsub_topic" "events" {
  # sim: seconds=1
  name = "events"
}

output "db_password" {
  value     = var.db_password
  sensitive = true
}

output "topic" {
  value = "events-topic"
}
`;

/** VS Code's Memento, in memory (a platform object): what history writes to workspace state. */
class MemoryState implements StateStore {
  readonly map = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.map.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.map.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
  keys(): readonly string[] {
    return [...this.map.keys()];
  }
}

/** Workspace state for persisted sessions, keeping every write ever made, not just the last. */
class RecordingStore implements SnapshotStore {
  readonly data = new Map<string, string>();
  readonly writes: string[] = [];
  async load(key: string): Promise<unknown> {
    const value = this.data.get(key);
    return value === undefined ? undefined : JSON.parse(value);
  }
  async save(key: string, persisted: unknown): Promise<void> {
    const json = JSON.stringify(persisted);
    this.writes.push(json);
    this.data.set(key, json);
  }
  async remove(key: string): Promise<void> {
    this.data.delete(key);
  }
}

/**
 * What the monitor panel would post for each snapshot: the whole model first (after `ready`),
 * then deltas, exactly as MonitorPanel.sendSnapshot/update build them; plus the whole model
 * again at the end, as when the panel is shown again.
 */
class PanelMessages {
  readonly posted: HostMessage[] = [];
  private sent: MonitorViewModel | undefined;
  see(snapshot: DeploymentSnapshot): void {
    const next = toViewModel(snapshot);
    if (!this.sent) this.posted.push({ type: 'snapshot', model: next });
    else {
      const delta = diffViewModel(this.sent, next);
      if (delta) this.posted.push({ type: 'delta', delta });
    }
    this.sent = next;
  }
  reshow(snapshot: DeploymentSnapshot): void {
    this.posted.push({ type: 'snapshot', model: toViewModel(snapshot) });
  }
}

interface Captured {
  end: DeploymentSnapshot;
  /** Channel name → every byte it received. */
  channels: Record<string, string>;
}

async function deployAndCapture(target: TargetRef, provider: Provider, workspace: WorkspaceSteps): Promise<Captured> {
  const store = new RecordingStore();
  const state = new MemoryState();
  const history = new HistoryStore(state);
  const log = new RecordingLog();
  const panel = new PanelMessages();
  const startedAt = new Date().toISOString();
  const session = DeploymentSession.start({ deploymentId: uniqueDeploymentId('secrets'), target, autoExecute: true }, { provider, workspace, store });
  panel.see(session.snapshot);
  const stopPanel = session.onDidChange((snapshot) => panel.see(snapshot));
  const stopLog = followInLog(session, log);
  const end = await waitForEnd(session, 60_000);
  await session.flush();
  panel.reshow(end);
  stopPanel();
  stopLog();
  const entry = historyEntry(end, startedAt, new Date().toISOString());
  assert.ok(entry, `the deployment ended in a final state (it is ${JSON.stringify(end.value)})`);
  await history.record(session.key, entry);
  session.dispose();
  return {
    end,
    channels: {
      'webview messages': panel.posted.map((message) => JSON.stringify(message)).join('\n'),
      'log channel': log.lines.join('\n'),
      'history (workspace state)': JSON.stringify([...state.map]),
      'history (Show Last Deployment)': historyMarkdown(entry),
      'persisted session (every write)': store.writes.join('\n'),
      'persisted session (left behind)': JSON.stringify([...store.data]),
    },
  };
}

/** "channel: secret … excerpt …" for every place a secret appears, or [] when none does. */
function leaks(channels: Record<string, string>, secrets: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [channel, text] of Object.entries(channels)) {
    for (const [name, secret] of Object.entries(secrets)) {
      // Also the JSON-escaped form, as it would sit inside stored JSON.
      for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
        let at = text.indexOf(form);
        let count = 0;
        const excerpts: string[] = [];
        while (at !== -1) {
          count++;
          if (excerpts.length < 3) excerpts.push(`…${text.slice(Math.max(0, at - 70), at + form.length + 20).replace(/\s+/g, ' ')}…`);
          at = text.indexOf(form, at + form.length);
        }
        if (count > 0) found.push(`${channel}: the ${name} appears ${count} time(s), e.g. ${excerpts.join(' | ')}`);
      }
    }
  }
  return found;
}

function assertChannelsRecorded(channels: Record<string, string>): void {
  // A capture that recorded nothing would find no secret: make sure each one saw the deployment.
  for (const [channel, text] of Object.entries(channels)) {
    if (channel === 'persisted session (left behind)') continue;
    assert.ok(text.length > 100, `${channel} recorded something (${text.length} bytes)`);
  }
}

describe('secrets never leave the running deployment', () => {
  let cfnSim: CfnSim;
  let imSim: ImSim;
  const dir = mkdtempSync(join(tmpdir(), 'stackwatch-secrets-'));

  before(async () => {
    cfnSim = await startCfnSim({ speed: 50 });
    imSim = await startImSim({ speed: 20, previewSeconds: 1, resourceSeconds: 1 });
  });
  after(async () => {
    await cfnSim.close();
    await imSim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('AWS: a NoEcho parameter and the outputs that !Ref and !Sub it', async () => {
    const templatePath = join(dir, 'template.yaml');
    writeFileSync(templatePath, AWS_TEMPLATE);
    const settings: AwsStackSettings = {
      provider: 'aws',
      templatePath,
      stackName: 'secrets-aws',
      region: 'us-east-1',
      endpoint: cfnSim.url,
      parameters: { DbPassword: NOECHO_VALUE },
      capabilities: [],
      autoExecute: true,
      cfnLint: 'off',
    };
    const provider = awsProvider(cfnSim.url);
    try {
      const initialize = createTemplateInitializer(settings, provider, {
        describeCondition: (target, signal) => provider.describeTarget({ target, signal }).then((r) => r.condition),
      });
      const captured = await deployAndCapture({ provider: 'aws', name: settings.stackName, region: settings.region }, provider, {
        preflight: async () => undefined,
        initialize,
      });
      assert.equal(captured.end.value, 'succeeded', `deployed: ${captured.end.context.error?.message ?? ''}`);
      // The cloud does answer with the secret: CloudFormation returns outputs in clear.
      const outputs = Object.fromEntries(captured.end.context.outputs.map((o) => [o.key, o.value]));
      assert.equal(outputs.Password, NOECHO_VALUE, 'Copy on the host reads the real value');
      assert.equal(outputs.ConnectionString, `postgres://app:${NOECHO_VALUE}@db.internal:5432/orders`);
      assertChannelsRecorded(captured.channels);
      assert.match(captured.channels['log channel'], /output TopicArn = arn:aws:sns:/, 'a non-secret output is logged as it is');
      assert.deepEqual(leaks(captured.channels, { 'NoEcho value': NOECHO_VALUE }), []);
    } finally {
      provider.dispose();
    }
  });

  it('Google Cloud: a sensitive input variable and a sensitive output', async () => {
    const folder = join(dir, 'blueprint');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'variables.tf'), GCP_VARIABLES);
    writeFileSync(join(folder, 'main.tf'), GCP_MAIN);
    const settings = gcpSettings(imSim, folder, { deploymentName: 'secrets-gcp', inputValues: { db_password: GCP_SENSITIVE_VALUE } });
    const provider = gcpProvider(imSim, settings);
    const initialize = createBlueprintInitializer(settings, { displayPath: (p) => p.split('/').slice(-2).join('/') });
    const captured = await deployAndCapture({ provider: 'gcp', name: settings.deploymentName, region: settings.location }, provider, {
      preflight: async () => undefined,
      initialize,
    });
    assert.equal(captured.end.value, 'succeeded', `deployed: ${captured.end.context.error?.message ?? ''}`);
    const outputs = Object.fromEntries(captured.end.context.outputs.map((o) => [o.key, o.value]));
    assert.equal(outputs.db_password, GCP_SENSITIVE_VALUE, 'Copy on the host reads the real value');
    assertChannelsRecorded(captured.channels);
    assert.match(captured.channels['log channel'], /output topic = events-topic/, 'a non-secret output is logged as it is');
    assert.deepEqual(leaks(captured.channels, { 'sensitive value': GCP_SENSITIVE_VALUE }), []);
    // Infrastructure Manager keeps input values in clear on the deployment: the reason for the
    // warning the person saw, which points to Secret Manager instead.
    const stored = imSim.deployments().find((d) => String(d.name).endsWith('/secrets-gcp'));
    assert.match(JSON.stringify(stored?.terraformBlueprint ?? {}), new RegExp(GCP_SENSITIVE_VALUE), 'the service stores the literal input value');
    assert.match(
      captured.channels['webview messages'],
      /db_password.{0,300}plain text.{0,300}Secret Manager/,
      'the monitor warned, and pointed to Secret Manager',
    );
  });
});
