/**
 * Stop means different things per provider. Where a stop rolls the change back to where it was,
 * it goes ahead at once. Where it at best halts the change where it is, with nothing undone, it
 * can leave half the change applied: the provider's stop policy then asks for a yes first.
 */
import * as vscode from 'vscode';
import type { DeploymentSession } from '../deployment/session';
import { descriptorOf } from '../providers/registry';

export async function confirmStop(session: DeploymentSession): Promise<boolean> {
  const question = descriptorOf(session.target.provider).stop.confirmation(session.target.name);
  if (!question) return true;
  const confirm: vscode.MessageItem = { title: question.confirm };
  const keep: vscode.MessageItem = { title: question.keep, isCloseAffordance: true };
  const choice = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, confirm, keep);
  return choice === confirm;
}
