/** Stackwatch: Get Started, and the walkthrough's one opening by itself after install (walkthroughOnce.ts). */
import * as vscode from 'vscode';
import { COMMANDS } from '../commands/ids';
import { WALKTHROUGH_SHOWN_KEY, openWalkthroughOnce, walkthroughRef } from './walkthroughOnce';

const OPEN_WALKTHROUGH = 'workbench.action.openWalkthrough';

export function setUpWalkthrough(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
  const ref = walkthroughRef(context.extension.id);
  // Seen on one machine, seen on all: Settings Sync carries the flag.
  context.globalState.setKeysForSync([WALKTHROUGH_SHOWN_KEY]);
  // An integration test's workbench is not a person's first run.
  if (context.extensionMode !== vscode.ExtensionMode.Test) {
    openWalkthroughOnce({
      state: context.globalState,
      openOnInstall: vscode.workspace.getConfiguration('workbench.welcomePage.walkthroughs').get<boolean>('openOnInstall', true),
      // In the background: the first activation comes from a command just run, whose quick pick
      // or monitor keeps the focus. The walkthrough waits in its tab.
      open: () => vscode.commands.executeCommand(OPEN_WALKTHROUGH, ref, { inactive: true }),
    }).catch((error: unknown) => log.warn(`The Get Started walkthrough did not open: ${error instanceof Error ? error.message : String(error)}`));
  }
  return vscode.commands.registerCommand(COMMANDS.getStarted, () => vscode.commands.executeCommand(OPEN_WALKTHROUGH, ref, false));
}
