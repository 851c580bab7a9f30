/**
 * The deployment's sentences go through l10n.t when they are said, not when the machine is built:
 * a transition names its notice (data), and the sentence is translated as the action runs, so a
 * bundle handed over after the machine was made is the one its notices read in.
 */
import { strict as assert } from 'node:assert';
import { afterEach, describe, it } from 'node:test';
import { DEFAULT_DEADLINES } from '../../src/deployment/deadlines';
import { CALL_NAMES, callLabel, timeoutError } from '../../src/deployment/machine/calls';
import { failedStepNotice, noticeText, type FailedStepId, type NoticeId } from '../../src/deployment/machine/notices';
import { useTranslations } from '../../src/shared/translations';
import { INITIALIZED, deploymentInput, described } from '../support/deploymentFixtures';
import { answerCall, settle, startGatedDeployment } from '../support/gatedProvider';

const NOTICES: readonly NoticeId[] = [
  'targetBeingDeleted',
  'executedBeforeStop',
  'nothingExecutedRemoving',
  'recoveryDeclined',
  'nothingDeletedOrChanged',
  'recoveryGoesOn',
  'otherOperationGoesOn',
];
const FAILED_STEPS: readonly FailedStepId[] = ['outputsUnread', 'stagedNotRemoved', 'stopNotPossible', 'optionNotChanged', 'previewNotRemoved'];

describe('deployment sentences are translated when said', () => {
  afterEach(() => useTranslations(undefined));

  it('every notice, failed step and call has its own sentence', () => {
    const texts = [...NOTICES.map(noticeText), ...FAILED_STEPS.map((id) => failedStepNotice({ call: 'poll', failed: id }, 'x')), ...CALL_NAMES.map(callLabel)];
    assert.ok(texts.every((text) => text.length > 0));
    assert.equal(new Set(texts).size, texts.length);
    assert.equal(failedStepNotice({ call: 'outputs' }, 'Access denied.'), 'Reading the outputs: Access denied.');
  });

  it('a missed deadline names the call and the time in the language in use', () => {
    useTranslations({ 'Reading the target': 'Ziel lesen' });
    assert.equal(timeoutError(DEFAULT_DEADLINES, { call: 'describeTarget', kind: 'read' }).message, 'Ziel lesen: no answer within 25 s.');
  });

  it('a notice reads in the bundle handed over after the machine was built', async () => {
    const d = startGatedDeployment(deploymentInput({ autoExecute: false }), { deadlines: { read: 2_000, write: 3_000, initialize: 5_000, cleanup: 4_000 } });
    await answerCall(d.gate, 'preflight');
    await answerCall(d.gate, 'initialize', INITIALIZED);
    await answerCall(d.gate, 'describeTarget', described.unrecoverable);
    useTranslations({ 'You declined the recovery. Nothing was deleted or changed.': 'Wiederherstellung abgelehnt.' });
    d.actor.send({ type: 'DECLINE' });
    await settle();
    assert.ok(d.actor.getSnapshot().context.notices.includes('Wiederherstellung abgelehnt.'), d.actor.getSnapshot().context.notices.join('\n'));
    d.actor.stop();
  });
});
