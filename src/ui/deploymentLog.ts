/**
 * Mirrors each deployment into the "Stackwatch" log channel: events oldest first, as they arrive,
 * under a heading per provider operation.
 * Every line goes through the deployment's secret mask: a log is copied into bug reports, so no
 * output marked sensitive and no secret input value may appear in it, even quoted inside
 * a provider's error message or event reason.
 */
import type * as vscode from 'vscode';
import type { DeploymentSnapshot } from '../deployment/machine';
import type { DeploymentSession } from '../deployment/session';
import { shownStatus, type ShownStatus } from '../deployment/status';
import type { Vocabulary } from '../shared/vocabulary';
import { vocabularyOf } from './vocabulary';
import { eventLines, eventsAfter } from './eventLog';
import { OperationHeadings } from './operationGroups';
import { errorLogLine } from './noticeTexts';
import { SECRET_MASK, maskSecrets, secretValuesOf } from '../deployment/secrets';

/** The part of a session the log follows. */
export type LoggedSession = Pick<DeploymentSession, 'snapshot' | 'onDidChange'>;

/** The log channel's writing methods, which are all this needs. */
export type LogSink = Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>;

/**
 * Each status in words, so that the log of a deployment that ended early (aborted, declined,
 * nothing to change) reads as what happened, not as the machine's state names.
 */
export function statusWords(status: ShownStatus, words: Vocabulary): string {
  const phrases: Record<ShownStatus, string> = {
    preflight: 'preparing the files',
    initializing: words.loadStep.charAt(0).toLowerCase() + words.loadStep.slice(1),
    preparing: `looking at the ${words.target}`,
    otherOperation: `another operation is running on the ${words.target}`,
    awaitingConsent: `the ${words.target} cannot be updated as it is; waiting for your decision`,
    recreating: `recovering the ${words.target}, as you consented`,
    staging: `creating the ${words.staged}`,
    reviewing: 'changes ready for review',
    executing: 'starting the deployment',
    deploying: 'deploying',
    stopping: 'stopping',
    rollingBack: 'rolling back',
    succeeded: 'deployment succeeded',
    failed: 'deployment failed',
    rolledBack: 'deployment rolled back',
    aborted: 'deployment aborted; nothing was changed',
    noChanges: `no changes: the ${words.target} is already up to date`,
    retrying: 'retrying',
    lostContact: 'lost contact with the provider',
    unknown: 'outcome unknown',
  };
  return phrases[status] ?? status;
}

export function followInLog(session: LoggedSession, log: LogSink): () => void {
  let lastEventId: string | undefined;
  let lastStatus = '';
  let lastNotices = 0;
  let stopRequested = false;
  const headings = new OperationHeadings(() => stopRequested);
  const write = (snapshot: DeploymentSnapshot): void => {
    const { context } = snapshot;
    stopRequested = context.stopRequested;
    const secrets = secretValuesOf(context);
    const say = (level: keyof LogSink, text: string): void => log[level](maskSecrets(text, secrets));
    const name = context.target.name;
    const status = shownStatus(context.status);
    const words = vocabularyOf(context.target.provider);
    if (status !== lastStatus)
      say('info', `${name}: ${statusWords(status, words)}${context.providerStatus ? ` (${words.state}: ${context.providerStatus})` : ''}`);
    // What the consent is about, for a log read after the person declined it.
    if (status !== lastStatus && status === 'awaitingConsent' && context.described?.statusReason) say('warn', `${name}: ${context.described.statusReason}`);
    lastStatus = status;
    const fresh = eventsAfter(context.events, lastEventId);
    for (const line of eventLines(name, fresh, headings)) say(line.level, line.text);
    if (fresh.length > 0) lastEventId = fresh[fresh.length - 1].id;
    for (const notice of context.notices.slice(lastNotices)) say('warn', `${name}: ${notice}`);
    lastNotices = context.notices.length;
    if (snapshot.status === 'done') {
      for (const output of context.outputs) say('info', `${name}: output ${output.key} = ${output.sensitive ? SECRET_MASK : output.value}`);
      if (context.error) {
        say('error', errorLogLine(name, context.error));
      }
    }
  };
  write(session.snapshot);
  return session.onDidChange(write);
}
