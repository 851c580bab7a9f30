/**
 * Under a pseudo-localized bundle (every string the sources give `l10n.t`, its letters swapped
 * for accented ones), what the extension host shows carries no English word left over: the status
 * bar, the background and come-back notices, the deployment log of a finished deployment, Show
 * Last Deployment, the stop prompts and refusals, the Problems panel's failure text, and the
 * monitor model's host-built sentences. Only data is left in plain letters: the names, ids,
 * statuses and messages this test feeds in, and the provider's own words (its descriptor's).
 */
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getL10nJson, getL10nPseudoLocalized } from '@vscode/l10n-dev';
import { stringSourceFiles } from '../../scripts/stringSources';
import { useTranslations } from '../../src/shared/translations';
import { historyEntry, historyMarkdown, type HistoryEntry } from '../../src/app/history';
import { PHASE_TAGS } from '../../src/deployment/machine/tags';
import { ACTIVITY_ORDER, type ShownStatus } from '../../src/deployment/status';
import type { DeploymentContext } from '../../src/deployment/machine';
import type { DeploymentEvent } from '../../src/providers/provider';
import { descriptorOf } from '../../src/providers/registry';
import { followInLog, statusWords, type LogSink } from '../../src/ui/deploymentLog';
import { failureMessage } from '../../src/ui/diagnosticPlacement';
import { backgroundNoticeText, comeBackText, inputErrorText, settingsErrorText, stopRefusalText } from '../../src/ui/noticeTexts';
import { statusBarModel } from '../../src/ui/statusBarModel';
import { stopChoices } from '../../src/ui/stopChoices';
import { toViewModel } from '../../src/ui/viewModel';
import { finishedIn, snapshotIn } from '../support/uiSnapshots';
import { applyEvents } from '../../src/deployment/resources';

const ROOT = join(__dirname, '../..');
const PROVIDERS = ['aws', 'gcp'] as const;

/** Everything this test feeds in, which comes out as it went in. */
const FED = [
  'demo-stack',
  'us-east-1',
  'dep-1',
  'AWS::SQS::Queue',
  'AWS::S3::Bucket',
  'AWS::CloudFormation::Stack',
  'Queue',
  'Bucket',
  'CREATE_IN_PROGRESS',
  'CREATE_FAILED',
  'CREATE_COMPLETE',
  'UPDATE_STACK',
  'ROLLBACK',
  'UPDATE_ROLLBACK_COMPLETE',
  'UPDATE_IN_PROGRESS',
  'Qx-name-taken',
  'Qx-cancelled',
  'req-42',
  'Private::Guard::Names',
  'HOOK_COMPLETE_FAILED',
  'Guard-says-no',
  'BucketNames',
  'NON_COMPLIANT',
  'Rename-it',
  'Properties.BucketName',
  'Qx-rate-exceeded',
  'Qx-template-error',
  'Qx-hint',
  'template.yaml',
  'Qx-notice',
  'ApiUrl',
  'https://example.invalid/api',
  'Qx-output-description',
  'Qx-setting-problem',
  'Qx-lint-label',
  'REVIEW_IN_PROGRESS',
  'arn:aws:sqs:queue-1',
  // The change actions (Add, Modify) and replacement (True) are the provider's values.
  'Add',
  'Modify',
  'True',
  // Intl in Japanese, in UTC, names the zone by its abbreviation.
  'UTC',
];

/** The provider's own words (its descriptor's, which the provider bundles translate). */
function providerWords(): string[] {
  const words: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') words.push(value);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) collect(v);
  };
  for (const provider of PROVIDERS) {
    const descriptor = descriptorOf(provider);
    collect(descriptor.words);
    collect(descriptor.input.description);
    collect(descriptor.stop.confirmation('demo-stack'));
  }
  // The log starts a sentence with the load step, lowercased.
  return [...words, ...words.map((word) => word.charAt(0).toLowerCase() + word.slice(1))];
}

/** The English words left in `text` once the data in it is taken out. */
function englishIn(text: string): string[] {
  // Codicons ($(sync~spin)) are ids, not words; the span around a time in Show Last Deployment is markup.
  let rest = text.replace(/\$\([a-z~-]+\)/g, ' ').replace(/<span title="|">|<\/span>/g, ' ');
  // Only whole data: a provider word ("Stop") must not hide an English word that contains it ("stopped").
  for (const data of [...FED, ...providerWords()].sort((x, y) => y.length - x.length))
    rest = rest.replace(new RegExp(`(?<![A-Za-z])${data.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z])`, 'g'), ' ');
  return rest.match(/[A-Za-z]{2,}/g) ?? [];
}

const leaks: { where: string; text: string; words: string[] }[] = [];

function check(where: string, text: string | undefined): void {
  if (text === undefined) return;
  const words = englishIn(text);
  if (words.length > 0) leaks.push({ where, text, words });
}

let n = 0;
function event(logicalId: string, providerStatus: string, status: DeploymentEvent['status'], more: Partial<DeploymentEvent> = {}): DeploymentEvent {
  n++;
  return {
    id: `ev-${n}`,
    timestamp: new Date(Date.UTC(2026, 10, 22, 10, 0, n)).toISOString(),
    logicalId,
    resourceType: logicalId === 'demo-stack' ? 'AWS::CloudFormation::Stack' : logicalId === 'Queue' ? 'AWS::SQS::Queue' : 'AWS::S3::Bucket',
    providerStatus,
    status,
    isCancellation: false,
    ...more,
  };
}

const HOOK = {
  type: 'Private::Guard::Names',
  status: 'HOOK_COMPLETE_FAILED',
  reason: 'Guard-says-no',
  annotations: [{ name: 'BucketNames', status: 'NON_COMPLIANT', message: 'Guard-says-no', remediation: 'Rename-it' }],
};

/** An update that failed on a hook and was rolled back by the provider: two operations, a root cause and a cancellation. */
function failedEvents(): DeploymentEvent[] {
  const update = { operationId: '1111-2222-3333', operationType: 'UPDATE_STACK' };
  const rollback = { operationId: '4444-5555-6666', operationType: 'ROLLBACK' };
  return [
    event('Queue', 'CREATE_IN_PROGRESS', 'inProgress', update),
    event('Queue', 'CREATE_FAILED', 'failed', { ...update, reason: 'Qx-name-taken', requestId: 'req-42', hook: HOOK, physicalId: 'arn:aws:sqs:queue-1' }),
    event('Bucket', 'CREATE_FAILED', 'cancelled', { ...update, reason: 'Qx-cancelled', isCancellation: true }),
    event('demo-stack', 'UPDATE_ROLLBACK_COMPLETE', 'rolledBack', rollback),
  ];
}

function endedContext(): Partial<DeploymentContext> {
  const events = failedEvents();
  return {
    events,
    resources: applyEvents({}, events, 'demo-stack'),
    executed: true,
    providerStatus: 'UPDATE_ROLLBACK_COMPLETE',
    notices: ['Qx-notice'],
    outputs: [
      { key: 'ApiUrl', value: 'https://example.invalid/api', description: 'Qx-output-description' },
      { key: 'ApiUrl', value: 'https://example.invalid/api', sensitive: true },
    ],
    error: { code: 'Template', message: 'Qx-template-error', hint: 'Qx-hint', retryable: false, file: 'template.yaml', line: 3 },
    operation: { token: '1111-2222-3333', startedAt: '2026-11-22T10:00:00.000Z', kind: 'update' },
  };
}

async function pseudoBundle(): Promise<Record<string, string>> {
  const files = await Promise.all(
    stringSourceFiles(ROOT).map(async (file) => ({ contents: await readFile(join(ROOT, file), 'utf8'), extension: extname(file) })),
  );
  const pseudo = getL10nPseudoLocalized(await getL10nJson(files));
  return Object.fromEntries(Object.entries(pseudo).map(([key, value]) => [key, typeof value === 'string' ? value : value.message]));
}

describe('the host under a pseudo-localized bundle', () => {
  before(async () => useTranslations(await pseudoBundle()));
  after(() => useTranslations(undefined));

  it('shows no English word outside the data it was given', () => {
    leaks.length = 0;
    // The status bar, in every kind of phase.
    const monitoring = snapshotIn('monitoring', {
      events: failedEvents().slice(0, 1),
      resources: applyEvents({}, failedEvents().slice(0, 1), 'demo-stack'),
      executed: true,
      providerStatus: 'UPDATE_IN_PROGRESS',
    });
    const retrying = snapshotIn('monitoring', {
      status: { ...monitoring.context.status, activity: 'deploying', error: 'retrying' },
      retry: { attempt: 2, waitedMs: 3000, delayMs: 2000, lastError: { code: 'Throttling', message: 'Qx-rate-exceeded', retryable: true } },
    });
    const snapshots = {
      none: undefined,
      monitoring,
      retrying,
      reviewing: snapshotIn('reviewing'),
      consent: snapshotIn('awaitingConsent'),
      staging: snapshotIn('staging', { providerStatus: 'REVIEW_IN_PROGRESS' }),
      succeeded: finishedIn('succeeded', false),
      noChanges: finishedIn('noChanges', false),
      aborted: finishedIn('aborted', false),
      rolledBack: finishedIn('rolledBack', true, endedContext()),
      cancelled: finishedIn('failed', false),
      unknown: finishedIn('unknown', false),
    };
    for (const [name, snapshot] of Object.entries(snapshots)) {
      const model = statusBarModel(snapshot);
      check(`status bar text (${name})`, model.text);
      check(`status bar tooltip (${name})`, model.tooltip);
    }

    // The notifications.
    const { title, message } = backgroundNoticeText('demo-stack');
    check('background notice', `${title}: ${message}`);
    for (const phase of PHASE_TAGS) check(`come-back notice (${phase})`, comeBackText(phase, 'demo-stack'));
    check('input error notice', inputErrorText('demo-stack', { message: 'Qx-template-error', hint: 'Qx-hint' }));
    check('settings error notice', settingsErrorText('Qx-setting-problem', 'Qx-hint'));

    // Stop: the refusal, the reasons the model gives, and the question's choices (the provider's words).
    check('stop refused', stopRefusalText('demo-stack', undefined));
    const unknownPhase = snapshotIn('monitoring', { executed: true, phase: 'unknown', providerStatus: 'UPDATE_IN_PROGRESS' });
    check('stop reason (unknown status)', toViewModel(unknownPhase).controls.stop.reason);
    check('stop reason (executing)', toViewModel(snapshotIn('executing')).controls.stop.reason);
    for (const provider of PROVIDERS) {
      const question = descriptorOf(provider).stop.confirmation('demo-stack');
      if (question) for (const choice of stopChoices(question)) check(`stop choice (${provider})`, `${choice.label} ${choice.detail ?? ''}`);
    }

    // The monitor model's host-built sentences.
    const ended = toViewModel(snapshots.rolledBack);
    check('status line', ended.statusLine);
    for (const step of ended.steps ?? []) check(`step ${step.id}`, `${step.label} ${step.note ?? ''}`);
    check('lost contact', toViewModel(snapshots.unknown).lostContact?.reason);

    // The deployment log of a finished deployment, and the log's word for every status.
    const lines: string[] = [];
    const sink: LogSink = { info: (t: string) => lines.push(t), warn: (t: string) => lines.push(t), error: (t: string) => lines.push(t) };
    followInLog({ snapshot: snapshots.rolledBack, onDidChange: () => () => undefined }, sink);
    assert.ok(lines.length >= 8, `the log wrote: ${lines.join(' | ')}`);
    for (const line of lines) check('log line', line);
    const statuses: ShownStatus[] = [...ACTIVITY_ORDER, 'retrying', 'lostContact'];
    for (const provider of PROVIDERS) for (const status of statuses) check(`log status ${status}`, statusWords(status, descriptorOf(provider).words));

    // The Problems panel's text of a failure.
    const root = { logicalId: 'Queue', resourceType: 'AWS::SQS::Queue', providerStatus: 'CREATE_FAILED', reason: 'Qx-name-taken', timestamp: '' };
    check('problem', failureMessage({ ...root, hook: HOOK, requestId: 'req-42', propertyPath: 'Properties.BucketName' }, true));

    // Show Last Deployment, with an earlier deployment under it.
    const last = historyEntry(snapshots.rolledBack, '2026-11-22T10:00:00.000Z', '2026-11-22T10:03:10.000Z');
    const earlier = historyEntry(snapshots.succeeded, '2026-11-20T10:00:00.000Z', '2026-11-20T10:00:40.000Z');
    assert.ok(last && earlier);
    const withChanges: HistoryEntry = {
      ...last,
      changes: [...last.changes, { logicalId: 'Queue', action: 'Modify', resourceType: 'AWS::SQS::Queue', replacement: 'True' }],
    };
    const times = { now: new Date('2026-11-22T10:13:30.000Z'), locale: 'ja', timeZone: 'UTC' };
    const document = historyMarkdown(withChanges, [earlier, { ...earlier, deploymentId: 'dep-2', failed: true, status: 'rolledBack' }], times);
    assert.ok(document.split('\n').length >= 30, document);
    for (const line of document.split('\n')) check('Show Last Deployment', line);

    assert.deepEqual(
      leaks.map((leak) => `${leak.where}: ${leak.words.join(' ')}  ←  ${leak.text}`),
      [],
      'English left under the pseudo-localized bundle',
    );
  });
});
