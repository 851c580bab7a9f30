/** Reads what a deployment needs from the workspace, offering the first-run flow when it is missing. */
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readWorkspaceSettings } from '../config/readSettings';
import { isSettingsError } from '../config/settingsError';
import { settingsErrorText } from '../ui/noticeTexts';
import { allDescriptors, descriptorFor } from '../providers/registry';
import type { DeploymentContextInfo } from './deploymentManager';
import { configureStack } from '../commands/configureStack';

/** A missing setting the first-run flow asks for (the target's name, say), rather than one to report. */
function firstRunAsksFor(setting: string | undefined): boolean {
  return setting !== undefined && allDescriptors().some((d) => d.settings.firstRunKeys.includes(setting));
}

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
 * Settings for a deployment. A missing setting the first-run flow asks for starts the quick-pick
 * flow; an input file chosen in the Explorer that is not the configured one does too.
 */
export async function readInfoOrConfigure(folder: vscode.WorkspaceFolder, template?: vscode.Uri): Promise<DeploymentContextInfo | undefined> {
  const configured = tryReadInfo(folder);
  // A file picked in the Explorer means the provider that claims it, whatever was configured before.
  const configuredTemplate = configured && descriptorFor(configured.settings).input.configuredFile(configured.settings);
  if (template && configured && (!configuredTemplate || path.resolve(configuredTemplate) !== path.resolve(template.fsPath))) {
    if (!(await configureStack(folder, { template }))) return undefined;
  }
  try {
    const info = readInfo(folder);
    const { settings } = info;
    // A workspace with nothing to deploy to yet gets the first-run flow too; a wrong value is
    // left to the provider's input step, which names it.
    if (!template && descriptorFor(settings).settings.needsFirstRun(settings)) {
      if (!(await configureStack(folder))) return undefined;
      return readInfo(folder);
    }
    return info;
  } catch (error) {
    const setting = isSettingsError(error) ? error.setting : undefined;
    // Only a missing setting is what the first-run flow asks for; a wrong one is shown, so the
    // flow never overwrites a value the person typed without telling them what was wrong.
    const missing = isSettingsError(error) && error.problem === 'missing';
    if (missing && firstRunAsksFor(setting)) {
      if (!(await configureStack(folder, { template }))) return undefined;
      return readInfo(folder);
    }
    const hint = isSettingsError(error) ? error.hint : undefined;
    const choice = await vscode.window.showErrorMessage(
      settingsErrorText(error instanceof Error ? error.message : String(error), hint),
      l10n.t('Open Settings'),
    );
    if (choice) void vscode.commands.executeCommand('workbench.action.openWorkspaceSettings', setting ?? 'stackwatch');
    return undefined;
  }
}
