/**
 * Extension entry point: builds the few long-lived objects (log, history, status bar, deployment
 * manager) and registers the commands. Everything heavier (SDKs, sessions) starts on first use.
 */
import { useTranslations } from './shared/translations';
import * as vscode from 'vscode';
import { createApi, type StackwatchApi } from './api';
import { registerCommands } from './commands/register';
import { CONTEXT_KEYS } from './commands/ids';
import { allDescriptors } from './providers/registry';
import { DeploymentManager } from './app/deploymentManager';
import { HistoryStore } from './app/history';
import { InputErrorReporter } from './ui/inputErrorReporter';
import { DeploymentStatusBar } from './ui/statusBar';
import { followInLog } from './ui/deploymentLog';
import { TemplateDiagnostics } from './ui/templateDiagnostics';
import { CommandContextKeys } from './ui/commandContext';
import { registerGetStarted, showWalkthroughOnFirstRun } from './ui/walkthrough';
import { folderFor } from './app/workspaceInfo';
import { OpenMonitors } from './app/openMonitors';
import type { DeploymentSession } from './deployment/session';

export async function activate(context: vscode.ExtensionContext): Promise<StackwatchApi> {
  useTranslations(vscode.l10n.bundle);
  const log = vscode.window.createOutputChannel('Stackwatch', { log: true });
  const history = new HistoryStore(context.workspaceState);
  const statusBar = new DeploymentStatusBar();
  const templateDiagnostics = new TemplateDiagnostics(() => folderFor()?.uri.fsPath, log);
  const commandContextKeys = new CommandContextKeys();
  // Every session the manager adopts, started here or reattached after a reload, is logged,
  // followed into the Problems panel, and counted for the menus (which commands can act now).
  const followInLogAndProblems = (session: DeploymentSession): (() => void) => {
    templateDiagnostics.watch(session);
    const stopContext = commandContextKeys.follow(session);
    const stopLog = followInLog(session, log);
    return () => {
      stopContext();
      stopLog();
    };
  };
  const manager = new DeploymentManager({ state: context.workspaceState, log, history, statusBar, followInLog: followInLogAndProblems });
  const inputErrors = new InputErrorReporter();
  const openMonitors = new OpenMonitors(context.workspaceState);
  activeManager = manager;
  context.subscriptions.push(
    log,
    statusBar,
    manager,
    inputErrors,
    templateDiagnostics,
    ...registerCommands({ extensionUri: context.extensionUri, log, manager, history, inputErrors, openMonitors }),
    vscode.window.onDidChangeActiveTextEditor(updateTemplateContext),
    registerGetStarted(context),
  );
  updateTemplateContext(vscode.window.activeTextEditor);
  // The Problems panel's failures outlive the window: each target's last ones come back from history.
  void templateDiagnostics.restore(history);
  // Only the first activation after install waits here (walkthrough.ts says why); later ones read one flag.
  await showWalkthroughOnFirstRun(context, log);
  return createApi(manager, statusBar);
}

/** Lets the editor-title button appear on a provider's input files whose name does not say "template". */
function updateTemplateContext(editor: vscode.TextEditor | undefined): void {
  const document = editor?.document;
  const claiming = document ? allDescriptors().filter((d) => d.input.languages.includes(document.languageId)) : [];
  const head = claiming.length > 0 ? document?.getText(new vscode.Range(0, 0, 400, 0)) : undefined;
  const isTemplate = head !== undefined && claiming.some((d) => d.input.looksLike(head));
  void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.isTemplate, isTemplate);
}

let activeManager: DeploymentManager | undefined;

/**
 * The cloud operations go on after the window closes and are reattached after a reload; only the
 * last snapshot writes must land first. The subscriptions then stop the sessions.
 */
export async function deactivate(): Promise<void> {
  await activeManager?.flush();
  activeManager = undefined;
}
