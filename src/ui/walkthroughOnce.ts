/**
 * The Get Started walkthrough opens by itself once: on the first activation after install. The
 * decision is kept in global state, so neither a reload, another workspace nor an update shows it
 * again; Stackwatch: Get Started opens it whenever asked.
 */
import type * as vscode from 'vscode';

/** The walkthrough's id in package.json's contributes.walkthroughs. */
export const WALKTHROUGH_ID = 'getStarted';
/** Global-state key: true once the walkthrough had its one chance to open by itself. */
export const WALKTHROUGH_SHOWN_KEY = 'stackwatch.walkthroughShown';

/** What workbench.action.openWalkthrough takes: `<publisher>.<name>#<walkthrough id>`. */
export function walkthroughRef(extensionId: string): string {
  return `${extensionId}#${WALKTHROUGH_ID}`;
}

export interface FirstRun {
  state: Pick<vscode.Memento, 'get' | 'update'>;
  /** VS Code's workbench.welcomePage.walkthroughs.openOnInstall: the person's own word on walkthroughs opening by themselves. */
  openOnInstall: boolean;
  open(): Thenable<unknown>;
}

/** Opens the walkthrough if it never had its chance; true when it opened it now. */
export async function openWalkthroughOnce(run: FirstRun): Promise<boolean> {
  if (run.state.get<boolean>(WALKTHROUGH_SHOWN_KEY) === true) return false;
  // Remembered before opening: if the state cannot be written, it would open on every activation,
  // so it does not open at all.
  try {
    await run.state.update(WALKTHROUGH_SHOWN_KEY, true);
  } catch {
    return false;
  }
  if (!run.openOnInstall) return false;
  await run.open();
  return true;
}
