/** Reads what a deployment needs from the workspace, offering the first-run flow when it is missing. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readWorkspaceSettings, SettingsError } from '../config/readSettings';
import { SETTING_KEYS } from '../config/stackSettings';
import { GCP_SETTING_KEYS } from '../providers/gcp/settings';
import type { DeploymentContextInfo } from './deploymentManager';
import { configureStack } from '../commands/configureStack';

/** Settings a Google Cloud deployment cannot start without, all of which the configure flow asks for. */
const GCP_FIRST_RUN = ['project', 'serviceAccount', 'blueprintFolder', 'stagingBucket'] as const;

export function folderFor(uri?: vscode.Uri): vscode.WorkspaceFolder | undefined {
  return (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
}

/** Settings, or undefined when they are incomplete (never asks). */
export function tryReadInfo(folder: vscode.WorkspaceFolder | undefined): DeploymentContextInfo | undefined {
  if (!folder) return undefined;
  try {
    return readInfo(folder);
  } catch {
    return undefined;
  }
}

/** Every setting goes through the schema; a wrong one throws a SettingsError naming it. */
function readInfo(folder: vscode.WorkspaceFolder): DeploymentContextInfo {
  const { settings, buildTask } = readWorkspaceSettings(folder);
  return { folder, settings, buildTask };
}

/**
 * Settings for a deployment. A missing stack name or region starts the quick-pick flow; a
 * template chosen in the explorer that is not the configured one does too.
 */
export async function readInfoOrConfigure(folder: vscode.WorkspaceFolder, template?: vscode.Uri): Promise<DeploymentContextInfo | undefined> {
  const configured = tryReadInfo(folder);
  // A template picked in the Explorer means CloudFormation, whatever was configured before.
  const configuredTemplate = configured?.settings.provider === 'aws' ? configured.settings.templatePath : undefined;
  if (template && configured && (!configuredTemplate || path.resolve(configuredTemplate) !== path.resolve(template.fsPath))) {
    if (!(await configureStack(folder, { template }))) return undefined;
  }
  try {
    const info = readInfo(folder);
    const { settings } = info;
    // A Google Cloud workspace with nothing to deploy to yet gets the first-run flow too; a
    // wrong value is left to the initializer, which names it.
    if (!template && settings.provider === 'gcp' && GCP_FIRST_RUN.some((k) => settings[k].trim() === '')) {
      if (!(await configureStack(folder))) return undefined;
      return readInfo(folder);
    }
    return info;
  } catch (error) {
    const setting = error instanceof SettingsError ? error.setting : undefined;
    // Only a missing name, region or deployment ID is what the first-run flow asks for; a wrong
    // one is shown, so the flow never overwrites a value the person typed without telling them what was wrong.
    const missing = error instanceof SettingsError && error.problem === 'missing';
    if (missing && (setting === SETTING_KEYS.stackName || setting === SETTING_KEYS.region || setting === GCP_SETTING_KEYS.deploymentId)) {
      if (!(await configureStack(folder, { template }))) return undefined;
      return readInfo(folder);
    }
    const hint = error instanceof SettingsError && error.hint ? ` ${error.hint}` : '';
    const choice = await vscode.window.showErrorMessage(`Stackwatch: ${error instanceof Error ? error.message : String(error)}${hint}`, 'Open Settings');
    if (choice) void vscode.commands.executeCommand('workbench.action.openWorkspaceSettings', setting ?? 'stackwatch');
    return undefined;
  }
}
