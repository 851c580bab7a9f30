/**
 * Mirrors each deployment into the "Stackwatch" log channel: events oldest first, as they arrive,
 * under a heading per provider operation.
 * Every line goes through the deployment's secret mask: a log is copied into bug reports, so no
 * output marked sensitive and no secret input value may appear in it, even quoted inside
 * a provider's error message or event reason.
 */
import * as l10n from '@vscode/l10n';
import { activeTranslations } from '../shared/translations';
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
  switch (status) {
    case 'preflight':
      return l10n.t('preparing the files');
    case 'initializing':
      // The step's name goes mid-sentence here; English lower-cases it, a translation is left as written.
      return activeTranslations() === undefined ? words.loadStep.charAt(0).toLowerCase() + words.loadStep.slice(1) : words.loadStep;
    case 'preparing':
      return l10n.t('looking at the {0}', words.target);
    case 'otherOperation':
      return l10n.t('another operation is running on the {0}', words.target);
    case 'awaitingConsent':
      return l10n.t('the {0} cannot be updated as it is; waiting for your decision', words.target);
    case 'recreating':
      return l10n.t('recovering the {0}, as you consented', words.target);
    case 'staging':
      return l10n.t('creating the {0}', words.staged);
    case 'reviewing':
      return l10n.t('changes ready for review');
    case 'executing':
      return l10n.t('starting the deployment');
    case 'deploying':
      return l10n.t({ message: 'deploying', comment: ['A deployment status.'] });
    case 'stopping':
      return l10n.t({ message: 'stopping', comment: ['A deployment status.'] });
    case 'rollingBack':
      return l10n.t('rolling back');
    case 'succeeded':
      return l10n.t('deployment succeeded');
    case 'failed':
      return l10n.t('deployment failed');
    case 'rolledBack':
      return l10n.t('deployment rolled back');
    case 'aborted':
      return l10n.t('deployment aborted; nothing was changed');
    case 'noChanges':
      return l10n.t('no changes: the {0} is already up to date', words.target);
    case 'retrying':
      return l10n.t({ message: 'retrying', comment: ['A deployment status: a provider call failed and is tried again.'] });
    case 'lostContact':
      return l10n.t('lost contact with the provider');
    case 'unknown':
      return l10n.t('outcome unknown');
    default:
      // A status a snapshot saved by another version may hold: its own name.
      return String(status);
  }
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
      say(
        'info',
        context.providerStatus
          ? l10n.t('{0}: {1} ({2}: {3})', name, statusWords(status, words), words.state, context.providerStatus)
          : l10n.t('{0}: {1}', name, statusWords(status, words)),
      );
    // What the consent is about, for a log read after the person declined it.
    if (status !== lastStatus && status === 'awaitingConsent' && context.described?.statusReason)
      say('warn', l10n.t('{0}: {1}', name, context.described.statusReason));
    lastStatus = status;
    const fresh = eventsAfter(context.events, lastEventId);
    for (const line of eventLines(name, fresh, headings)) say(line.level, line.text);
    if (fresh.length > 0) lastEventId = fresh[fresh.length - 1].id;
    for (const notice of context.notices.slice(lastNotices)) say('warn', l10n.t('{0}: {1}', name, notice));
    lastNotices = context.notices.length;
    if (snapshot.status === 'done') {
      for (const output of context.outputs) say('info', l10n.t('{0}: output {1} = {2}', name, output.key, output.sensitive ? SECRET_MASK : output.value));
      if (context.error) {
        say('error', errorLogLine(name, context.error));
      }
    }
  };
  write(session.snapshot);
  return session.onDidChange(write);
}
