/**
 * Says once that a deployment goes on after its monitor was closed. A plain notification cannot
 * be taken back, so it would still say "deploying in the background" after the monitor is open
 * again; a progress notification can, and closes as soon as the monitor is back, the deployment
 * ends, or a few seconds pass (the status-bar item keeps showing progress after that).
 */
import * as vscode from 'vscode';
import type { DeploymentSession } from '../deployment/session';
import { isRunning } from '../deployment/snapshotReaders';
import { backgroundNoticeText } from './noticeTexts';

export const BACKGROUND_NOTICE_MS = 8_000;

export function showBackgroundNotice(session: DeploymentSession, monitorIsBack: vscode.Event<string>): void {
  const { title, message } = backgroundNoticeText(session.target.name);
  void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, async (progress) => {
    progress.report({ message });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, BACKGROUND_NOTICE_MS);
      const back = monitorIsBack((key) => key === session.key && done());
      const ended = session.onDidChange((snapshot) => !isRunning(snapshot) && done());
      function done(): void {
        clearTimeout(timer);
        back.dispose();
        ended();
        resolve();
      }
    });
  });
}
