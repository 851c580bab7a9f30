/**
 * The monitor's row and finding actions on the host: open the template at a resource or a
 * finding, open a resource in the provider's console. The webview only names a key (a row's
 * logical ID, a finding's index); everything else (the file, the line, the URL) comes from the
 * host's own deployment state, and a key the deployment does not have opens nothing.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import type { DeploymentContext } from '../deployment/machine';
import type { InputPointer } from '../providers/descriptor';
import { descriptorOf } from '../providers/registry';
import { locationFile, locatorFor, openAt } from './templatePlaces';

type Context = DeploymentContext;

/** The row the host itself knows by this key: a staged change or a resource seen in events. */
function knownRow(context: Context, logicalId: string): { resourceType: string; physicalId?: string } | undefined {
  const change = context.changes.find((c) => c.logicalId === logicalId);
  const state = Object.hasOwn(context.resources, logicalId) ? context.resources[logicalId] : undefined;
  if (!change && !state) return undefined;
  const resourceType = change?.resourceType ?? state?.resourceType ?? '';
  const physicalId = state?.physicalId ?? change?.physicalId;
  return physicalId === undefined ? { resourceType } : { resourceType, physicalId };
}

async function openPointer(context: Context, pointer: InputPointer, workspaceFolder: string | undefined, what: string): Promise<void> {
  const locate = await locatorFor(context, workspaceFolder);
  const location = locate?.(pointer);
  const file = locationFile(location, context, workspaceFolder);
  if (!location) {
    // Nothing to point at: say so rather than open line 1 as if it were the place.
    void vscode.window.showInformationMessage(
      file
        ? l10n.t('Stackwatch: {0} could not be found in the template; it may have been edited since it was staged.', what)
        : l10n.t('Stackwatch: {0} could not be found in the template.', what),
    );
    return;
  }
  await openAt(file, location);
}

export async function openResource(context: Context, logicalId: string, workspaceFolder: string | undefined): Promise<void> {
  if (!knownRow(context, logicalId)) return;
  await openPointer(context, { logicalId }, workspaceFolder, logicalId);
}

export async function openFinding(context: Context, index: number, workspaceFolder: string | undefined): Promise<void> {
  const finding = context.findings?.[index];
  if (!finding || (finding.logicalId === undefined && finding.path === undefined)) return;
  const pointer: InputPointer = {};
  if (finding.logicalId !== undefined) pointer.logicalId = finding.logicalId;
  if (finding.path !== undefined) pointer.path = finding.path;
  await openPointer(context, pointer, workspaceFolder, finding.path ?? finding.logicalId ?? l10n.t('The finding'));
}

/** The console URL the descriptor gives for the host's own row, when it is an https URL. */
export function consoleUrlOf(context: Context, logicalId: string): vscode.Uri | undefined {
  const row = knownRow(context, logicalId);
  if (!row) return undefined;
  const targetId = context.staged?.targetId ?? context.described?.targetId;
  const url = descriptorOf(context.target.provider).consoleUrl?.({
    target: context.target,
    ...(targetId !== undefined ? { targetId } : {}),
    logicalId,
    resourceType: row.resourceType,
    ...(row.physicalId !== undefined ? { physicalId: row.physicalId } : {}),
  });
  if (url === undefined) return undefined;
  try {
    const uri = vscode.Uri.parse(url, true);
    return uri.scheme === 'https' ? uri : undefined;
  } catch {
    return undefined;
  }
}

export async function openConsole(context: Context, logicalId: string): Promise<void> {
  const uri = consoleUrlOf(context, logicalId);
  if (uri) await vscode.env.openExternal(uri);
}
