/** Mirrors each deployment into the "Stackwatch" log channel: events oldest first, as they arrive. */
import type * as vscode from 'vscode';
import type { DeploymentSnapshot } from '../deployment/machine';
import type { DeploymentSession } from '../deployment/session';
import { shownStatus } from '../deployment/status';
import { eventLine, eventsAfter } from './eventLog';

export function followInLog(session: DeploymentSession, log: vscode.LogOutputChannel): () => void {
  let lastEventId: string | undefined;
  let lastStatus = '';
  let lastNotices = 0;
  const write = (snapshot: DeploymentSnapshot): void => {
    const { context } = snapshot;
    const name = context.target.name;
    const status = shownStatus(context.status);
    if (status !== lastStatus) log.info(`${name}: ${status}${context.providerStatus ? ` (${context.providerStatus})` : ''}`);
    lastStatus = status;
    const fresh = eventsAfter(context.events, lastEventId);
    for (const event of fresh) {
      const line = eventLine(name, event);
      log[line.level](line.text);
    }
    if (fresh.length > 0) lastEventId = fresh[fresh.length - 1].id;
    for (const notice of context.notices.slice(lastNotices)) log.warn(`${name}: ${notice}`);
    lastNotices = context.notices.length;
    if (snapshot.status === 'done') {
      for (const output of context.outputs) log.info(`${name}: output ${output.key} = ${output.sensitive ? '****' : output.value}`);
      if (context.error) {
        const where = context.error.file ? ` (${context.error.file}${context.error.line ? `:${context.error.line}` : ''})` : '';
        log.error(`${name}: ${context.error.message}${where}${context.error.hint ? ` — ${context.error.hint}` : ''}`);
      }
    }
  };
  write(session.snapshot);
  return session.onDidChange(write);
}
