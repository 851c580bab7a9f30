/** Stackwatch: Get Started, and the walkthrough's one opening by itself after install (walkthroughOnce.ts). */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { COMMANDS } from '../commands/ids';
import { WALKTHROUGH_SHOWN_KEY, openWalkthroughOnce, walkthroughRef } from './walkthroughOnce';

const OPEN_WALKTHROUGH = 'workbench.action.openWalkthrough';
/** The longest the first activation waits for the walkthrough to open. */
const FIRST_RUN_WAIT_MS = 2_000;

export function registerGetStarted(context: vscode.ExtensionContext): vscode.Disposable {
  const ref = walkthroughRef(context.extension.id);
  return vscode.commands.registerCommand(COMMANDS.getStarted, () => vscode.commands.executeCommand(OPEN_WALKTHROUGH, ref, false));
}

/**
 * On the first activation after install, opens the walkthrough in an editor group beside the
 * active one. The activation waits for it (at most FIRST_RUN_WAIT_MS, once per install), so the
 * command that activated Stackwatch runs after it: VS Code 1.100 ticks a step off only for a
 * command run once the walkthrough exists, and that command's monitor or document then opens
 * over the walkthrough, which stays a tab beside it. Opened in a background tab instead, the
 * walkthrough shows VS Code's own walkthrough when the tab is clicked.
 */
export async function showWalkthroughOnFirstRun(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<void> {
  // Seen on one machine, seen on all: Settings Sync carries the flag.
  context.globalState.setKeysForSync([WALKTHROUGH_SHOWN_KEY]);
  // An integration test's workbench is not a person's first run.
  if (context.extensionMode === vscode.ExtensionMode.Test) return;
  const ref = walkthroughRef(context.extension.id);
  const opened = openWalkthroughOnce({
    state: context.globalState,
    openOnInstall: vscode.workspace.getConfiguration('workbench.welcomePage.walkthroughs').get<boolean>('openOnInstall', true),
    open: () => vscode.commands.executeCommand(OPEN_WALKTHROUGH, ref, true),
  }).catch((error: unknown) => {
    log.warn(l10n.t('The Get Started walkthrough did not open: {0}', error instanceof Error ? error.message : String(error)));
  });
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, FIRST_RUN_WAIT_MS)));
  await Promise.race([opened, giveUp]);
  clearTimeout(timer);
}
