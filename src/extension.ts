/**
 * Extension entry point. For now the deployment is driven from notifications and the
 * "Stackwatch" log channel; the monitor webview and status bar build on the same session.
 */
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { DeploymentSnapshot } from './deployment/machine';
import { DeploymentSession, sessionKey, type SnapshotStore } from './deployment/session';
import { progressOf, summarizeFailures } from './deployment/resources';
import { shownStatus } from './deployment/status';
import { readStackSettings } from './config/readSettings';
import { AwsProvider } from './providers/aws/awsProvider';
import { createTemplateInitializer } from './template/initialize';

const sessions = new Map<string, DeploymentSession>();

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Stackwatch', { log: true });
  const store: SnapshotStore = {
    load: async (key) => context.workspaceState.get(`session:${key}`),
    save: (key, value) => Promise.resolve(context.workspaceState.update(`session:${key}`, value)),
    remove: (key) => Promise.resolve(context.workspaceState.update(`session:${key}`, undefined)),
  };
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('stackwatch.deployProject', () => deployProject(log, store)),
    { dispose: () => sessions.forEach((s) => s.dispose()) },
  );
}

export function deactivate(): void {
  sessions.forEach((s) => s.dispose());
  sessions.clear();
}

async function deployProject(log: vscode.LogOutputChannel, store: SnapshotStore): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage('Stackwatch: open a folder with a CloudFormation template first.');
    return;
  }
  let settings;
  try {
    settings = readStackSettings(folder);
  } catch (error) {
    const choice = await vscode.window.showErrorMessage(`Stackwatch: ${(error as Error).message}`, 'Open Settings');
    if (choice) void vscode.commands.executeCommand('workbench.action.openWorkspaceSettings', 'stackwatch');
    return;
  }
  const target = { provider: 'aws' as const, name: settings.stackName, region: settings.region };
  const running = sessions.get(sessionKey(target));
  if (running && !running.isFinished) {
    log.show(true);
    void vscode.window.showInformationMessage(`Stackwatch: ${settings.stackName} is already deploying; see the Stackwatch log.`);
    return;
  }
  const provider = new AwsProvider({ region: settings.region, profile: settings.profile, endpoint: settings.endpoint, templateBucket: settings.templateBucket });
  const session = DeploymentSession.start(
    { deploymentId: randomUUID(), target, autoExecute: settings.autoExecute },
    {
      provider,
      store,
      workspace: {
        preflight: async () => {
          await vscode.workspace.saveAll(false);
        },
        initialize: createTemplateInitializer(settings, provider, {
          describeCondition: (stack, signal) => provider.describeTarget({ target: stack, signal }).then((r) => r.condition),
          displayPath: (p) => vscode.workspace.asRelativePath(p),
        }),
      },
    },
  );
  sessions.set(session.key, session);
  follow(session, log);
  const end = await session.finished;
  provider.dispose();
  report(end, log);
}

/** Mirrors the session in the log and asks the questions only a person can answer. */
function follow(session: DeploymentSession, log: vscode.LogOutputChannel): void {
  let lastLine = '';
  let lastTopState = '';
  let seenEvents = 0;
  session.onDidChange((snapshot) => {
    const { context } = snapshot;
    for (const event of context.events.slice(seenEvents)) {
      const line = `${event.timestamp} ${event.logicalId} ${event.providerStatus}${event.reason ? ` — ${event.reason}` : ''}`;
      if (event.status === 'failed') log.error(line);
      else log.info(line);
    }
    seenEvents = context.events.length;
    const progress = progressOf(context.changes, context.resources);
    const line = `${session.target.name}: ${shownStatus(context.status)} (${progress.done}/${progress.total})`;
    if (line !== lastLine) log.info(line);
    lastLine = line;
    // Ask once per entry into a waiting state, not on every snapshot while it waits.
    const topState = typeof snapshot.value === 'string' ? snapshot.value : Object.keys(snapshot.value)[0] ?? '';
    if (topState === lastTopState) return;
    lastTopState = topState;
    if (topState === 'reviewing') void askToExecute(session, snapshot);
    if (topState === 'awaitingConsent') void askForConsent(session, snapshot);
  });
}

async function askToExecute(session: DeploymentSession, snapshot: DeploymentSnapshot): Promise<void> {
  const changes = snapshot.context.changes;
  const lines = changes.map((c) => `${c.action} ${c.logicalId} (${c.resourceType})${c.replacement === 'True' ? ' — replacement' : ''}`);
  const choice = await vscode.window.showInformationMessage(
    `${changes.length} change(s) staged for ${session.target.name}`,
    { modal: true, detail: lines.join('\n') },
    'Execute',
    'Abort Changes',
  );
  session.send({ type: choice === 'Execute' ? 'EXECUTE' : 'ABORT' });
}

async function askForConsent(session: DeploymentSession, snapshot: DeploymentSnapshot): Promise<void> {
  const described = snapshot.context.described;
  const actions = described?.recoveryActions ?? [];
  const choice = await vscode.window.showWarningMessage(
    `The stack ${session.target.name} is ${described?.providerStatus} and cannot be updated.`,
    { modal: true, detail: [described?.statusReason, ...actions.map((a) => `${a.label}: ${a.description}`)].filter(Boolean).join('\n\n') },
    ...actions.map((a) => a.label),
  );
  const action = actions.find((a) => a.label === choice);
  session.send(action ? { type: 'CONSENT', action: action.id } : { type: 'DECLINE' });
}

function report(end: DeploymentSnapshot, log: vscode.LogOutputChannel): void {
  const { context } = end;
  for (const output of context.outputs) log.info(`Output ${output.key} = ${output.value}`);
  for (const notice of context.notices) log.warn(notice);
  const failures = summarizeFailures(context.events, context.target.name);
  if (context.error) {
    const where = context.error.file ? ` (${context.error.file}${context.error.line ? `:${context.error.line}` : ''})` : '';
    log.error(`${context.error.message}${where}${context.error.hint ? ` — ${context.error.hint}` : ''}`);
    for (const c of failures.cancellations) log.info(`  ${c.logicalId}: ${c.reason}`);
    void vscode.window.showErrorMessage(`Stackwatch: ${context.target.name} ${end.value as string}: ${context.error.message}`);
  } else {
    void vscode.window.showInformationMessage(`Stackwatch: ${context.target.name} ${end.value as string}.`);
  }
}
