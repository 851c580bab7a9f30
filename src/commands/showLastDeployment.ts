/**
 * Show Last Deployment: a stack's history as a read-only Markdown document (a virtual document,
 * so it is never "unsaved"), shown in the Markdown preview.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { historyMarkdown, type HistoryEntry } from '../app/history';

export const HISTORY_SCHEME = 'stackwatch-history';

export class HistoryDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  async show(entries: readonly HistoryEntry[]): Promise<void> {
    const [last, ...earlier] = entries;
    if (!last) {
      void vscode.window.showInformationMessage(l10n.t('Stackwatch: no finished deployment is recorded in this workspace yet.'));
      return;
    }
    const name = l10n.t({ message: '{0} — last deployment', args: [last.stack], comment: ['The name of the Show Last Deployment document (".md" follows).'] });
    // One path segment, whatever a translation holds: a slash would make it a folder.
    const uri = vscode.Uri.from({ scheme: HISTORY_SCHEME, path: `/${name.replace(/[/\\]/g, '-')}.md` });
    // Times are told relative to now, in local time and the display language; the full time shows on hover.
    this.contents.set(uri.toString(), historyMarkdown(last, earlier, { now: new Date(), locale: vscode.env.language }));
    this.changed.fire(uri);
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
