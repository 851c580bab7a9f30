/**
 * Compare with Deployed: VS Code's diff editor with the template the target runs now (as it was
 * submitted) on the left and the one this deployment staged on the right, both read-only virtual
 * documents. A target that does not exist yet has nothing deployed, and says so; a failed read
 * says why and offers Check again, never a guess.
 */
import * as vscode from 'vscode';
import { DEFAULT_DEADLINES } from '../deployment/deadlines';
import type { DeploymentSession } from '../deployment/session';
import type { Provider } from '../providers/provider';
import { descriptorOf } from '../providers/registry';
import { templateLanguage } from './templateNames';

export const TEMPLATE_SCHEME = 'stackwatch-template';
const CHECK_AGAIN = 'Check again';

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
          title: `Reading the deployed template of ${words.target} ${session.target.name}…`,
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
    void vscode.window.showInformationMessage(`Stackwatch: ${name} has no staged template to compare yet.`);
    return;
  }
  const read = provider?.deployedTemplate?.bind(provider);
  if (!read) {
    void vscode.window.showInformationMessage(
      `Stackwatch: ${words.service} does not give Stackwatch the deployed template of ${name}, so there is nothing to compare.`,
    );
    return;
  }
  let deployed: string | undefined;
  try {
    deployed = await readDeployed(session, read);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const choice = await vscode.window.showErrorMessage(`Stackwatch: could not read the deployed template of ${name}: ${reason}`, CHECK_AGAIN);
    if (choice === CHECK_AGAIN) await compareWithDeployed(session, provider, documents);
    return;
  }
  if (deployed === undefined) {
    void vscode.window.showInformationMessage(`Stackwatch: ${name} is a new ${words.target}: nothing is deployed yet, so everything staged is new.`);
    return;
  }
  const left = documents.hold(name, 'deployed', deployed);
  const right = documents.hold(name, 'staged', staged.body);
  await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: deployed ↔ staged`);
}
