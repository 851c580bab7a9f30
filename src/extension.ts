/**
 * Extension entry point: builds the few long-lived objects (log, history, status bar, deployment
 * manager) and registers the commands. Everything heavier (SDKs, sessions) starts on first use.
 */
import * as vscode from 'vscode';
import { createApi, type StackwatchApi } from './api';
import { registerCommands } from './commands/register';
import { looksLikeTemplate } from './providers/aws/configure/stackDefaults';
import { DeploymentManager } from './app/deploymentManager';
import { HistoryStore } from './app/history';
import { InputErrorReporter } from './ui/inputErrorReporter';
import { DeploymentStatusBar } from './ui/statusBar';

const TEMPLATE_CONTEXT_KEY = 'stackwatch.isTemplate';

export function activate(context: vscode.ExtensionContext): StackwatchApi {
  const log = vscode.window.createOutputChannel('Stackwatch', { log: true });
  const history = new HistoryStore(context.workspaceState);
  const statusBar = new DeploymentStatusBar();
  const manager = new DeploymentManager({ state: context.workspaceState, log, history, statusBar });
  const inputErrors = new InputErrorReporter();
  activeManager = manager;
  context.subscriptions.push(
    log,
    statusBar,
    manager,
    inputErrors,
    ...registerCommands({ extensionUri: context.extensionUri, log, manager, history, inputErrors }),
    vscode.window.onDidChangeActiveTextEditor(updateTemplateContext),
  );
  updateTemplateContext(vscode.window.activeTextEditor);
  return createApi(manager, statusBar);
}

/** Lets the editor-title button appear on templates whose file name does not say "template". */
function updateTemplateContext(editor: vscode.TextEditor | undefined): void {
  const document = editor?.document;
  const isTemplate = document !== undefined && ['yaml', 'json'].includes(document.languageId) && looksLikeTemplate(document.getText(new vscode.Range(0, 0, 400, 0)));
  void vscode.commands.executeCommand('setContext', TEMPLATE_CONTEXT_KEY, isTemplate);
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
