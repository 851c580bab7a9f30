/**
 * Save Staged Template: the exact template submitted for the change set, opened as an untitled
 * editor (save it from there), plus a save dialog with a default name.
 */
import * as vscode from 'vscode';
import type { DeploymentSession } from '../deployment/session';
import type { Provider } from '../providers/provider';
import { DEFAULT_DEADLINES } from '../deployment/deadlines';
import { vocabularyOf } from '../ui/vocabulary';
import { changeSetName, templateLanguage } from './templateNames';

export async function saveStagedTemplate(session: DeploymentSession, provider: Provider, folder: vscode.Uri | undefined): Promise<void> {
  const words = vocabularyOf(session.target.provider);
  // What is saved: the submitted template (CloudFormation), or the preview's Terraform plan as
  // Infrastructure Manager exports it, sensitive values masked (Infrastructure Manager).
  const gcp = session.target.provider === 'gcp';
  const what = gcp ? 'preview plan' : 'staged template';
  const stagedId = session.snapshot.context.staged?.stagedId;
  if (!stagedId) {
    void vscode.window.showWarningMessage(`Stackwatch: ${session.target.name} has no ${words.staged} yet, so there is no ${what} to save.`);
    return;
  }
  const controller = new AbortController();
  // Like every provider call, this one has a deadline: a silent endpoint must not leave the progress up.
  const deadline = setTimeout(() => controller.abort(), DEFAULT_DEADLINES.read);
  const body = await Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Fetching the ${what} of ${session.target.name}…`, cancellable: true }, (_progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      return provider.template({ target: session.target, stagedId, signal: controller.signal });
    }),
  ).finally(() => clearTimeout(deadline));
  const language = templateLanguage(body);
  const document = await vscode.workspace.openTextDocument({ content: body, language });
  await vscode.window.showTextDocument(document, { preview: false });
  const defaultName = gcp ? `${session.target.name}-plan.json` : `${session.target.name}-${changeSetName(stagedId)}.${language}`;
  const target = await vscode.window.showSaveDialog({
    title: gcp ? `Save the ${what} (Terraform JSON; sensitive values are masked)` : `Save the ${what}`,
    defaultUri: folder ? vscode.Uri.joinPath(folder, defaultName) : undefined,
    filters: language === 'json' ? { JSON: ['json', 'template'] } : { YAML: ['yaml', 'yml', 'template'] },
    saveLabel: words.saveStaged,
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(body));
  void vscode.window.showInformationMessage(`Stackwatch: saved the ${what} to ${vscode.workspace.asRelativePath(target)}.`);
}
