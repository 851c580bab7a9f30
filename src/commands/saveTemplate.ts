/**
 * Save what was staged for review: the exact input the provider staged (a template, say), as the
 * provider returns it, opened as an untitled editor (save it from there), plus a save dialog that
 * offers a name a person would choose (templateNames.ts).
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { DeploymentSession } from '../deployment/session';
import type { Provider } from '../providers/provider';
import { descriptorOf } from '../providers/registry';
import { DEFAULT_DEADLINES } from '../deployment/deadlines';
import { savedFileName, templateLanguage } from './templateNames';

export async function saveStagedTemplate(session: DeploymentSession, provider: Provider, folder: vscode.Uri | undefined): Promise<void> {
  const { words, saved } = descriptorOf(session.target.provider);
  const stagedId = session.snapshot.context.staged?.stagedId;
  if (!stagedId) {
    void vscode.window.showWarningMessage(l10n.t('Stackwatch: {0} has no {1} yet, so there is no {2} to save.', session.target.name, words.staged, saved.what));
    return;
  }
  const controller = new AbortController();
  // Like every provider call, this one has a deadline: a silent endpoint must not leave the progress up.
  const deadline = setTimeout(() => controller.abort(), DEFAULT_DEADLINES.read);
  const body = await Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: l10n.t('Fetching the {0} of {1}…', saved.what, session.target.name), cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        return provider.template({ target: session.target, stagedId, signal: controller.signal });
      },
    ),
  ).finally(() => clearTimeout(deadline));
  const language = templateLanguage(body);
  const document = await vscode.workspace.openTextDocument({ content: body, language });
  await vscode.window.showTextDocument(document, { preview: false });
  const target = await vscode.window.showSaveDialog({
    title: saved.dialogTitle,
    defaultUri: folder ? vscode.Uri.joinPath(folder, savedFileName(session.target.name, saved.fileLabel, language, new Date())) : undefined,
    filters: language === 'json' ? { JSON: ['json', 'template'] } : { YAML: ['yaml', 'yml', 'template'] },
    saveLabel: words.saveStaged,
  });
  if (!target) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(body));
  void vscode.window.showInformationMessage(l10n.t('Stackwatch: saved the {0} to {1}.', saved.what, vscode.workspace.asRelativePath(target)));
}
