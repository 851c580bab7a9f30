/**
 * The `stackwatch.deploymentInReview` context key: some deployment in this window waits in review,
 * so Compare with Deployed shows in the Command Palette and on the template's editor title.
 */
import * as vscode from 'vscode';
import { CONTEXT_KEYS } from '../commands/ids';
import { phaseOf, type DeploymentSnapshot } from '../deployment/machine';
import type { DeploymentSession } from '../deployment/session';

export class ReviewContextKey {
  private readonly inReview = new Set<string>();
  private shown: boolean | undefined;

  /** Follows a session until the returned function is called. */
  follow(session: DeploymentSession): () => void {
    const update = (snapshot: DeploymentSnapshot): void => {
      if (snapshot.status === 'active' && phaseOf(snapshot, snapshot.context.executed) === 'review') this.inReview.add(session.key);
      else this.inReview.delete(session.key);
      this.publish();
    };
    update(session.snapshot);
    const unsubscribe = session.onDidChange(update);
    return () => {
      unsubscribe();
      this.inReview.delete(session.key);
      this.publish();
    };
  }

  private publish(): void {
    const reviewing = this.inReview.size > 0;
    if (reviewing === this.shown) return;
    this.shown = reviewing;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.deploymentInReview, reviewing);
  }
}
