/**
 * Logs… in the end states where the log is most needed: an abort, a declined recovery, a failed
 * initialization and "no changes". The button is enabled, and the log it opens holds this
 * deployment's own lines (how it ended, and why), even with no provider events.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { DeploymentSnapshot } from '../../src/deployment/machine';
import { InputError } from '../../src/input/inputError';
import { followInLog, type LoggedSession } from '../../src/ui/deploymentLog';
import { toViewModel } from '../../src/ui/viewModel';
import { INITIALIZED, described, staged, stagedResults } from '../support/deploymentFixtures';
import { answerCall, failCall, settle, startGatedDeployment, type GatedDeployment } from '../support/gatedProvider';
import { RecordingLog } from '../support/recordingLog';

function logged(d: GatedDeployment): LoggedSession {
  return {
    get snapshot(): DeploymentSnapshot {
      return d.actor.getSnapshot();
    },
    onDidChange(listener: (snapshot: DeploymentSnapshot) => void) {
      const subscription = d.actor.subscribe(listener);
      return () => subscription.unsubscribe();
    },
  };
}

async function initialized(d: GatedDeployment): Promise<void> {
  await answerCall(d.gate, 'preflight');
  await answerCall(d.gate, 'initialize', INITIALIZED);
}

async function stagedWith(d: GatedDeployment, result: unknown): Promise<void> {
  await initialized(d);
  await answerCall(d.gate, 'describeTarget', described.missing);
  await answerCall(d.gate, 'stage', staged);
  d.clock.increment(500);
  await settle();
  await answerCall(d.gate, 'describeStaged', result);
}

interface EndCase {
  name: string;
  final: string;
  drive(d: GatedDeployment): Promise<void>;
  /** What the log must say about why it ended. */
  says: RegExp;
}

const CASES: EndCase[] = [
  {
    name: 'aborted in the review',
    final: 'aborted',
    async drive(d) {
      await stagedWith(d, stagedResults.ready);
      d.actor.send({ type: 'ABORT' });
      await answerCall(d.gate, 'abortStaged', {});
    },
    says: /demo-stack: deployment aborted; nothing was changed/,
  },
  {
    name: 'a declined recovery',
    final: 'aborted',
    async drive(d) {
      await initialized(d);
      await answerCall(d.gate, 'describeTarget', described.unrecoverable);
      d.actor.send({ type: 'DECLINE' });
    },
    says: /demo-stack: The following resource\(s\) failed to create: \[Queue\]\.\n.*You declined the recovery/,
  },
  {
    name: 'a failed initialization',
    final: 'failed',
    async drive(d) {
      await answerCall(d.gate, 'preflight');
      await failCall(
        d.gate,
        'initialize',
        new InputError('Template format error: bad YAML', { file: '/ws/template.yaml', displayFile: 'template.yaml', line: 3 }),
      );
    },
    says: /Template format error: bad YAML/,
  },
  {
    name: 'no changes',
    final: 'noChanges',
    async drive(d) {
      await stagedWith(d, stagedResults.empty);
      await answerCall(d.gate, 'abortStaged', {});
    },
    says: /demo-stack: no changes: the stack is already up to date/,
  },
];

describe('Logs… in the end states', () => {
  for (const c of CASES) {
    it(`${c.name}: Logs… is enabled, and the log holds how it ended and why`, async () => {
      const d = startGatedDeployment({ deploymentId: 'dep-1', target: { provider: 'aws', name: 'demo-stack', region: 'us-east-1' }, autoExecute: false });
      const log = new RecordingLog();
      const stop = followInLog(logged(d), log);
      await c.drive(d);
      await settle();
      const end = d.actor.getSnapshot();
      stop();
      assert.equal(end.value, c.final);
      assert.equal(toViewModel(end).controls.logs, true, 'Logs… is enabled');
      const all = log.lines.join('\n');
      assert.match(all, c.says);
    });
  }
});
