/**
 * Compare with Deployed: VS Code's diff editor with the template the target runs now (as it was
 * submitted) on the left and the one this deployment staged on the right, both read-only virtual
 * documents. A target that does not exist yet has nothing deployed, and says so; a failed read
 * says why and offers Check again, never a guess.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { DEFAULT_DEADLINES } from '../deployment/deadlines';
import type { DeploymentSession } from '../deployment/session';
import type { Provider } from '../providers/provider';
import { descriptorOf } from '../providers/registry';
import { templateLanguage } from './templateNames';

export const TEMPLATE_SCHEME = 'stackwatch-template';

/** The two sides of each comparison, by URI; read-only because no file system backs them. */
export class TemplateDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** A document with this body; the same name again shows the new body. */
  hold(name: string, side: 'deployed' | 'staged', body: string): vscode.Uri {
    const extension = templateLanguage(body) === 'json' ? 'json' : 'yaml';
    const uri = vscode.Uri.from({ scheme: TEMPLATE_SCHEME, path: `/${name}/${side}.${extension}` });
    this.contents.set(uri.toString(), body);
    this.changed.fire(uri);
    return uri;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

type ReadDeployed = NonNullable<Provider['deployedTemplate']>;

async function readDeployed(session: DeploymentSession, read: ReadDeployed): Promise<string | undefined> {
  const { words } = descriptorOf(session.target.provider);
  const controller = new AbortController();
  // Like every provider call, this one has a deadline: a silent endpoint must not leave the progress up.
  const deadline = setTimeout(() => controller.abort(), DEFAULT_DEADLINES.read);
  try {
    return await Promise.resolve(
      vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: l10n.t('Reading the deployed template of {0} {1}…', words.target, session.target.name),
          cancellable: true,
        },
        (_progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          return read({ target: session.target, signal: controller.signal });
        },
      ),
    );
  } finally {
    clearTimeout(deadline);
  }
}

export async function compareWithDeployed(session: DeploymentSession, provider: Provider | undefined, documents: TemplateDocuments): Promise<void> {
  const name = session.target.name;
  const { words } = descriptorOf(session.target.provider);
  const staged = session.snapshot.context.initialized?.template;
  if (!staged || staged.format === 'folder') {
    void vscode.window.showInformationMessage(l10n.t('Stackwatch: {0} has no staged template to compare yet.', name));
    return;
  }
  const read = provider?.deployedTemplate?.bind(provider);
  if (!read) {
    void vscode.window.showInformationMessage(
      l10n.t('Stackwatch: {0} does not give Stackwatch the deployed template of {1}, so there is nothing to compare.', words.service, name),
    );
    return;
  }
  let deployed: string | undefined;
  try {
    deployed = await readDeployed(session, read);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const checkAgain: vscode.MessageItem = { title: l10n.t('Check again') };
    const choice = await vscode.window.showErrorMessage(l10n.t('Stackwatch: could not read the deployed template of {0}: {1}', name, reason), checkAgain);
    if (choice === checkAgain) await compareWithDeployed(session, provider, documents);
    return;
  }
  if (deployed === undefined) {
    void vscode.window.showInformationMessage(
      l10n.t('Stackwatch: {0} is a new {1}: nothing is deployed yet, so everything staged is new.', name, words.target),
    );
    return;
  }
  const left = documents.hold(name, 'deployed', deployed);
  const right = documents.hold(name, 'staged', staged.body);
  await vscode.commands.executeCommand('vscode.diff', left, right, l10n.t('{0}: deployed ↔ staged', name));
}
