/**
 * A quick pick that answers only a value that passes its check: a failing value keeps the pick
 * open with the problem in its title, so the person fixes it where they typed it. Hiding it
 * (Escape, focus elsewhere) answers undefined.
 */
import type * as vscode from 'vscode';

export function acceptValidated<T extends vscode.QuickPickItem>(
  quickPick: vscode.QuickPick<T>,
  read: () => string,
  problemTitle: (value: string) => string | undefined,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    quickPick.onDidAccept(() => {
      const value = read();
      if (!value) return;
      const title = problemTitle(value);
      if (title !== undefined) {
        quickPick.title = title;
        return;
      }
      resolve(value);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      resolve(undefined);
      quickPick.dispose();
    });
    quickPick.show();
  });
}
