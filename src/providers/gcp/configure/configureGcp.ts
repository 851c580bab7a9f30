/**
 * Configure for Google Cloud in VS Code: the flow of configureGcpFlow.ts with a quick pick and
 * input box as its Prompter, the workspace settings as its store, and the project's listings
 * with a cancellable progress notification around each. Returns false when cancelled.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { explicitValue, vscodePrompter } from '../../../commands/vscodePrompter';
import { isSettingsError } from '../../../config/settingsError';
import { sentences } from '../../../shared/sentences';
import { GCP_SETTING_KEYS } from '../settings';
import { GCP_SETTINGS } from '../settingsReader';
import { ProviderError } from '../../provider';
import { configureGcp, type SettingsStore } from './configureGcpFlow';
import { gcpSources } from './configureGcpSources';

function key(setting: string): string {
  return setting.replace(/^stackwatch\./, '');
}

/** A progress notification the person can cancel: the step then asks for the value to be typed. */
function withProgress<T>(what: string, work: () => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: l10n.t('Stackwatch: {0}…', what), cancellable: true },
      (_progress, token) =>
        new Promise<T>((resolve, reject) => {
          const cancelled = token.onCancellationRequested(() => reject(new ProviderError('Aborted', l10n.t('{0}: stopped waiting.', what))));
          work()
            .then(resolve, reject)
            .finally(() => {
              cancelled.dispose();
            });
        }),
    ),
  );
}

export async function configureGcpDeployment(folder: vscode.WorkspaceFolder): Promise<boolean> {
  const config = vscode.workspace.getConfiguration('stackwatch', folder.uri);
  let endpoint: string | undefined;
  try {
    // A mistyped local endpoint must not quietly turn into listing the real Google Cloud.
    endpoint = GCP_SETTINGS.gcpEndpoint.parse(explicitValue(config, GCP_SETTING_KEYS.endpoint), GCP_SETTING_KEYS.endpoint);
  } catch (error) {
    const message = isSettingsError(error) ? sentences(error.message, error.hint) : String(error);
    void vscode.window.showErrorMessage(l10n.t('Stackwatch: {0}', sentences(message, l10n.t('Nothing was changed.'))));
    return false;
  }
  const target =
    vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders.length > 1
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : vscode.ConfigurationTarget.Workspace;
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
    void vscode.window.showInformationMessage(
      l10n.t('Stackwatch: Google Cloud deployment {0} ({1}, {2}) saved to the workspace settings.', saved.deploymentName, saved.project, saved.location),
    );
    return true;
  } finally {
    flowEnded.abort();
  }
}
