/**
 * The first-run quick-pick flow (also Configure Deployment). Which provider's flow runs: the one
 * a chosen file belongs to, else the configured provider's, else the one whose input the
 * workspace holds, else the person's choice. Each flow saves to the workspace settings and
 * returns false if the person cancelled at any step, leaving the settings as they were.
 */
import * as vscode from 'vscode';
import type { ProviderKind } from '../providers/provider';
import { allDescriptors, descriptorOf, isKnownKind, knownKinds, loadRuntime } from '../providers/registry';
import { chooseFlow, askProvider } from './chooseProvider';
import { SETTING_KEYS } from './ids';
import { explicitValue, vscodePrompter } from './vscodePrompter';

export interface ConfigureOptions {
  /** A file chosen from the Explorer or editor title, which a provider claims as its input. */
  template?: vscode.Uri;
}

/** The provider the settings name; undefined when unset (or not one Stackwatch knows). */
function configuredProvider(config: vscode.WorkspaceConfiguration): ProviderKind | undefined {
  const raw = explicitValue(config, SETTING_KEYS.provider);
  return isKnownKind(raw) ? raw : undefined;
}

/** The provider that deploys this file by itself (a template), if any. */
export function kindClaiming(file: vscode.Uri): ProviderKind | undefined {
  return allDescriptors().find((d) => d.input.claimsFile(file.fsPath))?.kind;
}

export async function configureStack(folder: vscode.WorkspaceFolder, options: ConfigureOptions = {}): Promise<boolean> {
  const config = vscode.workspace.getConfiguration('stackwatch', folder.uri);
  const configured = configuredProvider(config);
  // A file chosen in the Explorer is a deployment of the provider that claims it, by definition.
  const claimed = options.template && kindClaiming(options.template);
  if (claimed) return (await loadRuntime(claimed)).configure.run(folder, { input: options.template, configured });
  const choice = chooseFlow(configured, configured ? [] : await kindsHoldingInput(folder));
  const flow = choice === 'ask' ? await askProvider(vscodePrompter) : choice;
  if (!flow) return false;
  return (await loadRuntime(flow)).configure.run(folder, { configured });
}

async function kindsHoldingInput(folder: vscode.WorkspaceFolder): Promise<ProviderKind[]> {
  const holding = await Promise.all(knownKinds().map(async (kind) => ((await descriptorOf(kind).input.holdsInput(folder)) ? kind : undefined)));
  return holding.filter((kind): kind is ProviderKind => kind !== undefined);
}
