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
import { shownStatus } from '../deployment/status';
import { eventLines, eventsAfter } from './eventLog';
import { OperationHeadings } from './operationGroups';
import { errorLogLine } from './noticeTexts';
import { SECRET_MASK, maskSecrets, secretValuesOf } from '../deployment/secrets';

/** The part of a session the log follows. */
export type LoggedSession = Pick<DeploymentSession, 'snapshot' | 'onDidChange'>;

/** The log channel's writing methods, which are all this needs. */
export type LogSink = Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>;

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
    if (status !== lastStatus) say('info', `${name}: ${status}${context.providerStatus ? ` (${context.providerStatus})` : ''}`);
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
