/**
 * Configure for Google Cloud in VS Code: the flow of configureGcpFlow.ts with a quick pick and
 * input box as its Prompter, the workspace settings as its store, and the project's listings
 * with a cancellable progress notification around each. Returns false when cancelled.
 */
import * as vscode from 'vscode';
import { SETTINGS } from '../../../config/settingsSchema';
import { SettingsError } from '../../../config/settingsError';
import { GCP_SETTING_KEYS } from '../settings';
import { ProviderError } from '../../provider';
import { acceptValidated } from '../../../commands/acceptValidated';
import { configureGcp, type InputStep, type PickStep, type Prompter, type SettingsStore } from './configureGcpFlow';
import { gcpSources } from './configureGcpSources';

function key(setting: string): string {
  return setting.replace(/^stackwatch\./, '');
}

/** Only a value someone set: VS Code's `get` would answer the package.json default for an unset one. */
export function explicitValue(config: vscode.WorkspaceConfiguration, setting: string): unknown {
  const found = config.inspect<unknown>(key(setting));
  return found?.workspaceFolderValue ?? found?.workspaceValue ?? found?.globalValue;
}

interface ValuedItem extends vscode.QuickPickItem {
  value: string;
}

export const vscodePrompter: Prompter = {
  pick(step: PickStep): Promise<string | undefined> {
    const quickPick = vscode.window.createQuickPick<ValuedItem>();
    const listed: ValuedItem[] = step.items.map((i) => ({ label: i.value, value: i.value, description: i.description, detail: i.detail }));
    quickPick.title = step.title;
    quickPick.placeholder = step.allowTyped ? `${step.placeholder}; or type another` : step.placeholder;
    quickPick.ignoreFocusOut = true;
    quickPick.matchOnDescription = true;
    quickPick.items = listed;
    if (step.allowTyped) {
      // A typed value that is not listed is offered as its own item, last: while it still matches
      // a listed one ("us-c"), Enter takes the match; once nothing matches, the typed value.
      quickPick.onDidChangeValue((typed) => {
        const value = typed.trim();
        quickPick.title = step.title;
        quickPick.items = value && !listed.some((i) => i.value === value) ? [...listed, { label: value, value, description: 'use this value', alwaysShow: true }] : listed;
      });
    }
    return acceptValidated(
      quickPick,
      // Enter on the highlighted row: once in a few first runs the pick was accepted with no
      // selection though a row was highlighted, and Enter did nothing; the active row is what was meant.
      () => quickPick.selectedItems[0]?.value ?? quickPick.activeItems[0]?.value ?? (step.allowTyped ? quickPick.value.trim() : ''),
      (value) => {
        const problem = step.validate(value);
        return problem ? `${step.title}: ${problem}` : undefined;
      },
    );
  },

  async input(step: InputStep): Promise<string | undefined> {
    return vscode.window.showInputBox({ title: step.title, prompt: step.prompt, value: step.value, ignoreFocusOut: true, validateInput: (v) => step.validate(v.trim()) });
  },
};

/** A progress notification the person can cancel: the step then asks for the value to be typed. */
function withProgress<T>(what: string, work: () => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Stackwatch: ${what}…`, cancellable: true }, (_progress, token) =>
      new Promise<T>((resolve, reject) => {
        const cancelled = token.onCancellationRequested(() => reject(new ProviderError('Aborted', `${what}: stopped waiting.`)));
        work().then(resolve, reject).finally(() => cancelled.dispose());
      }),
    ),
  );
}

export async function configureGcpDeployment(folder: vscode.WorkspaceFolder): Promise<boolean> {
  const config = vscode.workspace.getConfiguration('stackwatch', folder.uri);
  let endpoint: string | undefined;
  try {
    // A mistyped local endpoint must not quietly turn into listing the real Google Cloud.
    endpoint = SETTINGS.gcpEndpoint.parse(explicitValue(config, GCP_SETTING_KEYS.endpoint), GCP_SETTING_KEYS.endpoint);
  } catch (error) {
    const message = error instanceof SettingsError ? `${error.message}${error.hint ? ` ${error.hint}` : ''}` : String(error);
    void vscode.window.showErrorMessage(`Stackwatch: ${message} Nothing was changed.`);
    return false;
  }
  const target = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders.length > 1 ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace;
  const settings: SettingsStore = {
    get: (setting) => explicitValue(config, setting),
    update: (setting, value) => Promise.resolve(config.update(key(setting), value, target)),
  };
  // Loaded only now: it brings the googleapis config module.
  const { createListingClient } = await import('../listingClient.js');
  const client = createListingClient({ endpoint, accessToken: process.env.STACKWATCH_GCP_ACCESS_TOKEN });
  const flowEnded = new AbortController();
  try {
    const listings = gcpSources({ client, workspaceFolder: folder.uri.fsPath, signal: flowEnded.signal, around: withProgress });
    const saved = await configureGcp({ folderName: folder.name, prompter: vscodePrompter, listings, settings });
    if (!saved) return false;
    void vscode.window.showInformationMessage(`Stackwatch: Google Cloud deployment ${saved.deploymentId} (${saved.project}, ${saved.location}) saved to the workspace settings.`);
    return true;
  } finally {
    flowEnded.abort();
  }
}
