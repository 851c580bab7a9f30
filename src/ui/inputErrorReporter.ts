/**
 * Bad input (a template, a parameters file, a setting, a failed build) ends a deployment before
 * anything reaches the cloud. The monitor says so, but it may be closed or behind the editor,
 * so this also raises an error notification naming the file and line, with a button that goes
 * there, and puts the error in the Problems panel (with every further problem found in the same
 * file, each at its own place) until the file is edited or deployed again.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { COMMANDS } from '../commands/ids';
import type { ErrorInfo } from '../deployment/errorInfo';
import type { DeploymentSession } from '../deployment/session';
import { errorFileUri, lineRange, openErrorLocation } from './errorLocation';
import { inputErrorText } from './noticeTexts';
import { inputProblemEntries } from './inputProblems';

/** The notification's buttons, told apart by what they do: their labels are translated. */
type InputErrorAction = 'goToLine' | 'openFile' | 'openSettings' | 'showMonitor';

function actionItem(action: InputErrorAction): vscode.MessageItem & { action: InputErrorAction } {
  switch (action) {
    case 'goToLine':
      return { title: l10n.t('Go to Line'), action };
    case 'openFile':
      return { title: l10n.t('Open File'), action };
    case 'openSettings':
      return { title: l10n.t('Open Settings'), action };
    case 'showMonitor':
      return { title: l10n.t('Show Monitor'), action };
  }
}

/** Errors found in the workspace, as opposed to errors the cloud reported. */
export function isInputError(error: ErrorInfo | undefined): error is ErrorInfo {
  return error !== undefined && (error.code === 'Template' || error.code === 'Preflight' || error.file !== undefined || error.setting !== undefined);
}

export class InputErrorReporter implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('stackwatch');
  /** Which files each target's last error was put on, so a new deployment clears only its own. */
  private readonly filesOfStack = new Map<string, vscode.Uri[]>();
  private readonly disposables: vscode.Disposable[] = [this.diagnostics];

  constructor() {
    this.disposables.push(
      // An edited file may no longer have the problem; a stale squiggle is worse than none.
      vscode.workspace.onDidChangeTextDocument((change) => {
        if (change.contentChanges.length > 0) this.diagnostics.delete(change.document.uri);
      }),
    );
  }

  /** Follows a new deployment: clears the target's old problem, reports a new one when it ends. */
  watch(session: DeploymentSession): void {
    this.clear(session.key);
    void session.finished.then((end) => {
      const error = end.context.error;
      if (end.status === 'done' && isInputError(error)) void this.report(session, error);
    });
  }

  private clear(stackKey: string): void {
    for (const uri of this.filesOfStack.get(stackKey) ?? []) this.diagnostics.delete(uri);
    this.filesOfStack.delete(stackKey);
  }

  private async report(session: DeploymentSession, error: ErrorInfo): Promise<void> {
    const file = errorFileUri(error);
    const range = error.line !== undefined ? lineRange(error.line, error.column) : undefined;
    if (file) {
      const byFile = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
      for (const entry of inputProblemEntries(error)) {
        const uri = entry.file ? (errorFileUri({ file: entry.file }) ?? file) : file;
        const at = entry.line !== undefined ? lineRange(entry.line, entry.column) : new vscode.Range(0, 0, 0, 0);
        const diagnostic = new vscode.Diagnostic(at, entry.message, vscode.DiagnosticSeverity.Error);
        diagnostic.source = 'Stackwatch';
        const placed = byFile.get(uri.toString()) ?? { uri, diagnostics: [] };
        placed.diagnostics.push(diagnostic);
        byFile.set(uri.toString(), placed);
      }
      for (const { uri, diagnostics } of byFile.values()) this.diagnostics.set(uri, diagnostics);
      this.filesOfStack.set(
        session.key,
        [...byFile.values()].map((placed) => placed.uri),
      );
    }

    const actions = ([file ? (range ? 'goToLine' : 'openFile') : undefined, error.setting ? 'openSettings' : undefined, 'showMonitor'] as const)
      .filter((a): a is InputErrorAction => a !== undefined)
      .map(actionItem);
    const text = inputErrorText(session.target.name, error);
    const choice = (await vscode.window.showErrorMessage(text, ...actions))?.action;
    if ((choice === 'goToLine' || choice === 'openFile') && file) {
      await openErrorLocation(error);
    } else if (choice === 'openSettings' && error.setting) {
      await vscode.commands.executeCommand('workbench.action.openWorkspaceSettings', error.setting);
    } else if (choice === 'showMonitor') {
      await vscode.commands.executeCommand(COMMANDS.showMonitor, session.key);
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
