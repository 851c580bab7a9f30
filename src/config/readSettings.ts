/**
 * Reads the `stackwatch.*` workspace settings through the schema (settingsSchema.ts). The only
 * module of the config folder that imports `vscode`; paths are resolved against the workspace folder.
 */
import * as vscode from 'vscode';
import { parseWorkspaceSettings, type WorkspaceSettings } from './settingsSchema';

export { SettingsError } from './settingsError';

export function readWorkspaceSettings(folder: vscode.WorkspaceFolder): WorkspaceSettings {
  const config = vscode.workspace.getConfiguration('stackwatch', folder.uri);
  // `get` with the full key minus the section: VS Code returns the package.json default when unset.
  const reader = (key: string): unknown => config.get<unknown>(key.replace(/^stackwatch\./, ''));
  return parseWorkspaceSettings(reader, { folderPath: folder.uri.fsPath, env: process.env });
}
