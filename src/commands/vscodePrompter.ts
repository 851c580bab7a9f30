/**
 * The configure flows' Prompter in VS Code: a quick pick (typed values allowed where the step
 * says) and an input box; plus what a setting holds when someone set it, for flows that must not
 * take a package.json default for a choice.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { acceptValidated } from './acceptValidated';
import type { InputStep, PickStep, Prompter } from './prompter';

function key(setting: string): string {
  return setting.replace(/^stackwatch\./, '');
}

/** Only a value someone set: VS Code's `get` would answer the package.json default for an unset one. */
export function explicitValue(config: vscode.WorkspaceConfiguration, setting: string): unknown {
  const found = config.inspect<unknown>(key(setting));
  return found?.workspaceFolderValue ?? found?.workspaceValue ?? found?.globalValue;
}

interface ValuedItem extends vscode.QuickPickItem {
  value: string;
}

export const vscodePrompter: Prompter = {
  pick(step: PickStep): Promise<string | undefined> {
    const quickPick = vscode.window.createQuickPick<ValuedItem>();
    const listed: ValuedItem[] = step.items.map((i) => ({ label: i.value, value: i.value, description: i.description, detail: i.detail }));
    quickPick.title = step.title;
    quickPick.placeholder = step.allowTyped ? l10n.t('{0}; or type another', step.placeholder) : step.placeholder;
    quickPick.ignoreFocusOut = true;
    quickPick.matchOnDescription = true;
    quickPick.items = listed;
    if (step.allowTyped) {
      // A typed value that is not listed is offered as its own item, last: while it still matches
      // a listed one ("us-c"), Enter takes the match; once nothing matches, the typed value.
      quickPick.onDidChangeValue((typed) => {
        const value = typed.trim();
        quickPick.title = step.title;
        quickPick.items =
          value && !listed.some((i) => i.value === value)
            ? [...listed, { label: value, value, description: l10n.t('use this value'), alwaysShow: true }]
            : listed;
      });
    }
    return acceptValidated(
      quickPick,
      // Enter on the highlighted row: once in a few first runs the pick was accepted with no
      // selection though a row was highlighted, and Enter did nothing; the active row is what was meant.
      () => quickPick.selectedItems[0]?.value ?? quickPick.activeItems[0]?.value ?? (step.allowTyped ? quickPick.value.trim() : ''),
      (value) => {
        const problem = step.validate(value);
        return problem ? l10n.t('{0}: {1}', step.title, problem) : undefined;
      },
    );
  },

  async input(step: InputStep): Promise<string | undefined> {
    return vscode.window.showInputBox({
      title: step.title,
      prompt: step.prompt,
      value: step.value,
      ignoreFocusOut: true,
      validateInput: (v) => step.validate(v.trim()),
    });
  },
};
