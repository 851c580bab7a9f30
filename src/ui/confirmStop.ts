/**
 * Stop means different things per provider. CloudFormation rolls an update back to where it was,
 * so Stop goes ahead at once. Infrastructure Manager at best stops Terraform where it is, with no
 * rollback, which can leave half the change applied (and a cancel is only a request it may refuse
 * or not act on): that needs a yes from the person first.
 */
import * as vscode from 'vscode';
import type { DeploymentSession } from '../deployment/session';

const CANCEL_APPLY: vscode.MessageItem = { title: 'Cancel the Apply' };
const KEEP_GOING: vscode.MessageItem = { title: 'Keep Deploying', isCloseAffordance: true };

export async function confirmStop(session: DeploymentSession): Promise<boolean> {
  if (session.target.provider !== 'gcp') return true;
  const choice = await vscode.window.showWarningMessage(
    `Cancel the deployment of ${session.target.name}, without rollback?`,
    {
      modal: true,
      detail:
        'Stackwatch asks Infrastructure Manager to cancel the apply. Cancelling is best effort: it may refuse, or the apply may still run to the end or fail, and Stackwatch keeps monitoring until it says the apply ended. If it does stop, nothing is rolled back: what was already created, changed or deleted stays that way.',
    },
    CANCEL_APPLY,
    KEEP_GOING,
  );
  return choice === CANCEL_APPLY;
}
