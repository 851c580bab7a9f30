/**
 * One DeploymentSession per stack. Starting a stack that is already deploying returns the running
 * session instead of a second one; persisted sessions from before a window reload are restored
 * lazily, on the first command or panel that needs them, so activation stays cheap.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { effectiveAutoExecute, rememberChoice } from '../config/autoExecuteChoice';
import type { AwsStackSettings, GcpStackSettings, StackSettings } from '../config/stackSettings';
import { DeploymentSession, ElsewhereSnapshotError, UnusableSnapshotError, sessionKey, type SessionOptions, type SnapshotStore } from '../deployment/session';
import type { Provider, TargetRef } from '../providers/provider';
import { createPreflight } from '../preflight/preflight';
import type { DeploymentFiles } from '../preflight/relevance';
import type { WorkspaceSteps } from '../deployment/providerActors';
import { followInLog } from '../ui/deploymentLog';
import { isRunning } from '../ui/deploymentState';
import { historyEntry, type HistoryStore } from './history';
import { targetFromKey } from './stackKeys';
import type { DeploymentStatusBar } from '../ui/statusBar';

export const RUNNING_CONTEXT_KEY = 'stackwatch.deploymentRunning';
const SESSION_PREFIX = 'session:';
/** Asking ADC who we are reads a file or asks the metadata server; it must not hang a deployment. */
const IDENTITY_TIMEOUT_MS = 15_000;

interface ProviderSteps {
  provider: OwnedProvider;
  initialize: WorkspaceSteps['initialize'];
  files: DeploymentFiles;
}

function relativePath(p: string): string {
  return vscode.workspace.asRelativePath(p, false);
}

/** How long an ended deployment's result holds the status bar before a running one takes it back. */
export const STATUS_BAR_HANDOVER_MS = 10_000;

/** A provider the manager owns: disposed with its session. */
export type OwnedProvider = Provider & { dispose(): void };

interface Entry {
  session: DeploymentSession;
  provider: OwnedProvider;
  startedAt: string;
  stopFollowing: () => void;
}

export interface DeploymentManagerDeps {
  state: vscode.Memento;
  log: vscode.LogOutputChannel;
  history: HistoryStore;
  statusBar: DeploymentStatusBar;
}

/** Which workspace and settings a deployment runs with. */
export interface DeploymentContextInfo {
  folder: vscode.WorkspaceFolder;
  settings: StackSettings;
  buildTask: string;
}

/** Where a deployment runs beyond its target's name and region, in words (no secrets). */
export function whereOf(settings: StackSettings): string {
  const endpoint = settings.endpoint ? `, endpoint ${settings.endpoint}` : '';
  if (settings.provider === 'gcp') return `project ${settings.project}${endpoint}`;
  return `${settings.profile ? `AWS profile ${settings.profile}` : 'the default AWS credentials'}${endpoint}`;
}

export function targetOf(settings: StackSettings): TargetRef {
  if (settings.provider === 'gcp') return { provider: 'gcp', name: settings.deploymentId, region: settings.location };
  return { provider: 'aws', name: settings.stackName, region: settings.region };
}

/** The workspace's settings, aimed at another stack of the same provider (one being restored). */
function settingsFor(settings: StackSettings, target: TargetRef): StackSettings {
  if (settings.provider === 'gcp') return { ...settings, deploymentId: target.name, location: target.region ?? settings.location };
  return { ...settings, stackName: target.name, region: target.region ?? settings.region };
}

export class DeploymentManager implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private focused: string | undefined;
  private restoring: Promise<void> | undefined;
  private running: boolean | undefined;
  private handover: NodeJS.Timeout | undefined;
  private readonly store: SnapshotStore;

  constructor(private readonly deps: DeploymentManagerDeps) {
    this.store = {
      load: async (key) => deps.state.get(SESSION_PREFIX + key),
      save: (key, value) => Promise.resolve(deps.state.update(SESSION_PREFIX + key, value)),
      remove: (key) => Promise.resolve(deps.state.update(SESSION_PREFIX + key, undefined)),
    };
  }

  get(key: string): DeploymentSession | undefined {
    return this.entries.get(key)?.session;
  }

  /**
   * The session a command without arguments means: the last one started, restored or shown while
   * it runs; once it has ended, another one that is still running comes first.
   */
  current(): DeploymentSession | undefined {
    const focused = this.focused ? this.get(this.focused) : undefined;
    if (focused && isRunning(focused.snapshot)) return focused;
    return this.runningOther(focused) ?? focused;
  }

  private runningOther(except: DeploymentSession | undefined): DeploymentSession | undefined {
    return [...this.entries.values()].map((e) => e.session).find((s) => s !== except && isRunning(s.snapshot));
  }

  providerFor(session: DeploymentSession): OwnedProvider | undefined {
    return this.entries.get(session.key)?.provider;
  }

  /** Whether a deployment with these settings executes without review: see autoExecuteChoice.ts for the precedence. */
  autoExecute(settings: StackSettings): boolean {
    return effectiveAutoExecute(this.deps.state, targetOf(settings), settings.autoExecute);
  }

  /** Remembers the checkbox for this target only; `settingNow` is stackwatch.autoExecute as read now. */
  async rememberAutoExecute(target: TargetRef, value: boolean, settingNow: boolean): Promise<void> {
    await rememberChoice(this.deps.state, target, value, settingNow);
  }

  /**
   * Starts a deployment, or returns the one already running for this stack (`started: false`).
   * Persisted deployments are restored first, so a reload never leads to a second deployment.
   */
  async deploy(info: DeploymentContextInfo): Promise<{ session: DeploymentSession; started: boolean }> {
    await this.restorePersisted(info);
    const target = targetOf(info.settings);
    const key = sessionKey(target);
    // Loaded before the check below, so nothing awaits between the check and the start.
    const { options, provider } = await this.sessionOptions(info);
    const existing = this.entries.get(key);
    if (existing && isRunning(existing.session.snapshot)) {
      provider.dispose();
      this.focus(existing.session);
      return { session: existing.session, started: false };
    }
    const session = DeploymentSession.start(
      {
        deploymentId: randomUUID(),
        target,
        autoExecute: this.autoExecute(info.settings),
        autoExecuteDestructive: info.settings.autoExecuteDestructive ?? false,
        where: whereOf(info.settings),
      },
      options,
    );
    this.adopt(session, provider, new Date().toISOString());
    return { session, started: true };
  }

  /** Restores every deployment persisted in this workspace, once per window. */
  restorePersisted(info: DeploymentContextInfo | undefined): Promise<void> {
    // Without settings nothing can be reattached; try again once they exist. Every caller waits
    // for the same restore, so a deploy never races a session that is still being restored.
    if (!info) return this.restoring ?? Promise.resolve();
    this.restoring ??= this.restoreAll(info);
    return this.restoring;
  }

  private async restoreAll(info: DeploymentContextInfo): Promise<void> {
    for (const stateKey of this.deps.state.keys()) {
      if (!stateKey.startsWith(SESSION_PREFIX)) continue;
      const key = stateKey.slice(SESSION_PREFIX.length);
      const target = targetFromKey(key);
      // A deployment of the other provider cannot be restored with this workspace's settings.
      if (!target || this.entries.has(key) || target.provider !== info.settings.provider) continue;
      // The provider settings (endpoint, profile) come from the workspace; the stack and region from the key.
      const settings = settingsFor(info.settings, target);
      const { options, provider } = await this.sessionOptions({ ...info, settings });
      try {
        const session = await DeploymentSession.restore(target, options);
        if (!session) {
          provider.dispose();
          continue;
        }
        const started = session.snapshot.context.operation?.startedAt ?? new Date().toISOString();
        this.adopt(session, provider, started);
        this.deps.log.info(`Reattached to the deployment of ${target.name}.`);
      } catch (error) {
        provider.dispose();
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof ElsewhereSnapshotError) {
          this.deps.log.warn(message);
          void vscode.window.showWarningMessage(`Stackwatch: ${message}`);
          continue;
        }
        this.deps.log.error(`Could not restore the deployment of ${target.name}: ${message}`);
        await this.store.remove(key);
        // A dropped deployment may still be running in the cloud: the person must hear of it.
        if (error instanceof UnusableSnapshotError) void vscode.window.showWarningMessage(`Stackwatch: ${message}`);
      }
    }
  }

  focus(session: DeploymentSession): void {
    this.focused = session.key;
    this.deps.statusBar.follow(session);
  }

  private async sessionOptions(info: DeploymentContextInfo): Promise<{ options: SessionOptions; provider: OwnedProvider }> {
    const { settings, folder } = info;
    const { provider, initialize, files } = settings.provider === 'gcp' ? await this.gcpSteps(settings, folder.uri.fsPath) : await this.awsSteps(settings, folder.uri.fsPath);
    const options: SessionOptions = {
      provider,
      store: this.store,
      where: whereOf(settings),
      workspace: {
        preflight: createPreflight({ folder, files, buildTask: info.buildTask, state: this.deps.state, log: this.deps.log }),
        initialize,
      },
    };
    return { options, provider };
  }

  // The SDKs load on first use, not at activation: each provider's modules are imported here.
  private async awsSteps(settings: AwsStackSettings, workspaceFolder: string): Promise<ProviderSteps> {
    const [{ AwsProvider }, { createTemplateInitializer }] = await Promise.all([import('../providers/aws/awsProvider.js'), import('../providers/aws/template/initialize.js')]);
    const provider = new AwsProvider({ region: settings.region, profile: settings.profile, endpoint: settings.endpoint, templateBucket: settings.templateBucket });
    const initialize = createTemplateInitializer(settings, provider, {
      describeCondition: (stack, signal) => provider.describeTarget({ target: stack, signal }).then((r) => r.condition),
      displayPath: relativePath,
      // Symlinks that lead outside the workspace are refused; inside it they are followed.
      workspaceFolder,
    });
    return { provider, initialize, files: { templatePath: settings.templatePath, parametersFile: settings.parametersFile } };
  }

  private async gcpSteps(workspaceSettings: GcpStackSettings, workspaceFolder: string): Promise<ProviderSteps> {
    // Symlinked .tf files inside the workspace are zipped; ones leading outside it are refused.
    const settings = { ...workspaceSettings, workspaceFolder };
    const [{ GcpProvider }, { createBlueprintInitializer }, { OAuth2Client }] = await Promise.all([
      import('../providers/gcp/gcpProvider.js'),
      import('../providers/gcp/initializeBlueprint.js'),
      import('google-auth-library'),
    ]);
    // STACKWATCH_GCP_ACCESS_TOKEN (e.g. from `gcloud auth print-access-token`, or any token a local
    // endpoint accepts) is used instead of Application Default Credentials when it is set.
    const token = process.env.STACKWATCH_GCP_ACCESS_TOKEN;
    const authClient = token ? new OAuth2Client() : undefined;
    authClient?.setCredentials({ access_token: token });
    const provider = new GcpProvider(settings, authClient ? { authClient } : {});
    const initialize = createBlueprintInitializer(settings, {
      displayPath: relativePath,
      identity: async () => {
        const identity = await provider.describeIdentity(AbortSignal.timeout(IDENTITY_TIMEOUT_MS));
        this.deps.log.info(`Google Cloud: deploying to project ${identity.project} as ${identity.account} (${identity.source}).`);
        return identity;
      },
    });
    return { provider, initialize, files: { templatePath: settings.blueprintFolder, folder: settings.blueprintFolder } };
  }

  private adopt(session: DeploymentSession, provider: OwnedProvider, startedAt: string): void {
    const previous = this.entries.get(session.key);
    if (previous) this.release(previous);
    const stopFollowing = followInLog(session, this.deps.log);
    const unsubscribe = session.onDidChange(() => this.updateContextKey());
    this.entries.set(session.key, {
      session,
      provider,
      startedAt,
      stopFollowing: () => {
        stopFollowing();
        unsubscribe();
      },
    });
    this.focus(session);
    this.updateContextKey();
    void session.finished.then((end) => {
      this.handOverStatusBar(session);
      const entry = historyEntry(end, startedAt, new Date().toISOString());
      if (entry) return this.deps.history.record(session.key, entry);
    });
  }

  /**
   * The status bar must not stay on an ended deployment while another still runs, but it must
   * not jump away at once either: whoever just started this one would never see how it ended.
   */
  private handOverStatusBar(ended: DeploymentSession): void {
    if (this.focused !== ended.key || !this.runningOther(ended)) return;
    clearTimeout(this.handover);
    this.handover = setTimeout(() => {
      const other = this.focused === ended.key ? this.runningOther(ended) : undefined;
      if (other) this.focus(other);
    }, STATUS_BAR_HANDOVER_MS);
  }

  private release(entry: Entry): void {
    entry.stopFollowing();
    entry.session.dispose();
    entry.provider.dispose();
  }

  private updateContextKey(): void {
    const running = [...this.entries.values()].some((e) => isRunning(e.session.snapshot));
    if (running === this.running) return;
    this.running = running;
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT_KEY, running);
  }

  /** Waits for every session's last snapshot to be stored, so a reload resumes from it. */
  async flush(): Promise<void> {
    await Promise.all([...this.entries.values()].map((entry) => entry.session.flush()));
  }

  dispose(): void {
    clearTimeout(this.handover);
    for (const entry of this.entries.values()) this.release(entry);
    this.entries.clear();
  }
}
