/**
 * Stop means different things per provider. Where a stop rolls the change back to where it was,
 * it goes ahead at once. Where it at best halts the change where it is, with nothing undone, it
 * can leave half the change applied: the provider's stop policy then asks for a yes first. The
 * monitor asks in the page; Stop from the Command Palette asks here, in a quick pick rather than
 * a modal dialog (which would focus the destructive answer), so the safe answer has the focus.
 */
import * as vscode from 'vscode';
import type { DeploymentSession } from '../deployment/session';
import { descriptorOf } from '../providers/registry';
import { stopChoices } from './stopChoices';

export async function confirmStop(session: DeploymentSession): Promise<boolean> {
  const question = descriptorOf(session.target.provider).stop.confirmation(session.target.name);
  if (!question) return true;
  const choice = await vscode.window.showQuickPick(stopChoices(question), { title: question.message, ignoreFocusOut: true });
  return choice?.stops === true;
}
