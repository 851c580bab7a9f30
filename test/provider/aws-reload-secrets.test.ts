/**
 * A window reload while the change set is still being created or read: the adapter of the new
 * window has forgotten the NoEcho values, and CloudFormation does not mask a NoEcho value that a
 * parent passes on to a nested stack's plain parameter. The resumed deployment must give the
 * values back to the adapter (by staging the same round again, which adopts the change set)
 * before anything is read, so the review, the snapshot and the store never hold the value.
 * Real session, machine, adapter and SDK against cfn-sim.
 */
import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DeploymentSession } from '../../src/deployment/session';
import type { DeploymentSnapshot } from '../../src/deployment/machine';
import type { AwsProvider } from '../../src/providers/aws/awsProvider';
import type { TargetRef } from '../../src/providers/provider';
import { startCfnSim, type CfnSim } from '../../tools/cfn-sim/index';
import { awsProvider, MemoryStore, uniqueDeploymentId, waitFor, workspaceFor } from '../support/awsDeployment';

const SECRET = 'pa55-w0rd-Reload-71c';
const CHILD = `Parameters:\n  Key:\n    Type: String\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: !Ref Key\n`;
const ROOT = `Parameters:\n  ApiKey:\n    Type: String\n    NoEcho: true\nResources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: nested/child.yaml\n      Parameters:\n        Key: !Ref ApiKey\n`;

describe('a reload while the change set is read keeps NoEcho values out of the review (cfn-sim)', () => {
  let sim: CfnSim;
  let workspace: string;
  const providers: AwsProvider[] = [];
  const newWindow = (): AwsProvider => {
    const provider = awsProvider(sim.url, {
      templateBucket: 'b',
      templateFile: join(workspace, 'template.yaml'),
      workspaceFolder: workspace,
      changeSetPollMs: 50,
    });
    providers.push(provider);
    return provider;
  };

  before(async () => {
    workspace = await realpath(await mkdtemp(join(tmpdir(), 'sw-reload-')));
    await mkdir(join(workspace, 'nested'));
    await writeFile(join(workspace, 'nested', 'child.yaml'), CHILD);
    await writeFile(join(workspace, 'template.yaml'), ROOT);
    // Slow enough that the change set is still being created when the window "reloads".
    sim = await startCfnSim({ speed: 1, changeSetSeconds: 3 });
  });
  after(async () => {
    for (const provider of providers) provider.dispose();
    await sim.close();
    await rm(workspace, { recursive: true, force: true });
  });

  it('resumed from staging.waiting, the review masks the value the child stack would show', async () => {
    const target: TargetRef = { provider: 'aws', name: 'reload-nested', region: 'us-east-1' };
    const store = new MemoryStore();
    const steps = workspaceFor({ template: ROOT, parameters: [{ key: 'ApiKey', value: SECRET, secret: true }] });
    const first = DeploymentSession.start(
      { deploymentId: uniqueDeploymentId('reload'), target, autoExecute: false },
      { provider: newWindow(), workspace: steps, store },
    );
    await waitFor(first, (s) => s.matches({ staging: 'waiting' } as never), 30_000, 'staging.waiting');
    await first.flush();
    first.dispose();

    const resumed = await DeploymentSession.restore(target, { provider: newWindow(), workspace: steps, store });
    assert.ok(resumed, 'the deployment was still running when the window closed');
    let review: DeploymentSnapshot;
    try {
      review = await waitFor(resumed, (s) => s.matches('reviewing') || s.status === 'done', 30_000, 'the review');
      await resumed.flush();
    } finally {
      resumed.dispose();
    }
    assert.ok(review.matches('reviewing'), `ended ${JSON.stringify(review.value)}: ${review.context.error?.message}`);
    const topic = review.context.changes.find((c) => c.logicalId === 'Child/Topic');
    assert.ok(topic, `the nested row is in the review: ${review.context.changes.map((c) => c.logicalId).join(', ')}`);
    // The running context keeps the secret parameter itself (memory only); what the review shows must not.
    const shown = JSON.stringify({ changes: review.context.changes, findings: review.context.findings, notices: review.context.notices });
    assert.ok(!shown.includes(SECRET), `the NoEcho value is in the review: ${JSON.stringify(topic)}`);
    assert.ok(![...store.data.values()].some((stored) => stored.includes(SECRET)), 'the NoEcho value was persisted');
  });
});
