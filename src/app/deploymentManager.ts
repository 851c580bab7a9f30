/**
 * One DeploymentSession per stack. Starting a stack that is already deploying returns the running
 * session instead of a second one; persisted sessions from before a window reload are restored
 * lazily, on the first command or panel that needs them, so activation stays cheap.
 */
import * as l10n from '@vscode/l10n';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { effectiveAutoExecute, rememberChoice } from '../config/autoExecuteChoice';
import type { StackSettings } from '../config/stackSettings';
import { DeploymentSession, ElsewhereSnapshotError, UnusableSnapshotError, sessionKey, type SessionOptions, type SnapshotStore } from '../deployment/session';
import type { OwnedProvider } from '../providers/descriptor';
import type { DeploymentOptionValues, TargetRef } from '../providers/provider';
import { descriptorFor, descriptorOf, loadRuntime } from '../providers/registry';
import { createPreflight } from '../preflight/preflight';
import { endedInStaging, isRunning } from '../deployment/snapshotReaders';
import { stagingKindOf } from '../deployment/deploymentOptions';
import { DurationStore } from './durationStore';
import { historyEntry, type HistoryStore } from './history';
import { rememberOptionChange, rememberOptions, rememberedOptions } from './rememberedOptions';
import { targetFromKey } from './stackKeys';

const SESSION_PREFIX = 'session:';

function relativePath(p: string): string {
  return vscode.workspace.asRelativePath(p, false);
}

/** How long an ended deployment's result holds the status bar before a running one takes it back. */
export const STATUS_BAR_HANDOVER_MS = 10_000;

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
  // The views that follow a session are the UI layer's; the manager only says which session.
  /** Shows one session at a time: the one last started or focused. */
  statusBar: { follow(session: DeploymentSession): void };
  /** Mirrors a session into the log until the returned function is called. */
  followInLog(session: DeploymentSession): () => void;
}

/** Which workspace and settings a deployment runs with. */
export interface DeploymentContextInfo {
  folder: vscode.WorkspaceFolder;
  settings: StackSettings;
  buildTask: string;
}

/** Where a deployment runs beyond its target's name and region, in words (no secrets). */
export function whereOf(settings: StackSettings): string {
  return descriptorFor(settings).whereOf(settings);
}

export function targetOf(settings: StackSettings): TargetRef {
  return descriptorFor(settings).targetOf(settings);
}

export class DeploymentManager implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private focused: string | undefined;
  private restoring: Promise<void> | undefined;
  private handover: NodeJS.Timeout | undefined;
  private readonly store: SnapshotStore;
  private readonly durations: DurationStore;

  constructor(private readonly deps: DeploymentManagerDeps) {
    this.durations = new DurationStore(deps.state);
    this.store = {
      load: async (key) => deps.state.get(SESSION_PREFIX + key),
      save: (key, value) => Promise.resolve(deps.state.update(SESSION_PREFIX + key, value)),
      remove: (key) => Promise.resolve(deps.state.update(SESSION_PREFIX + key, undefined)),
    };
  }

  get(key: string): DeploymentSession | undefined {
    return this.entries.get(key)?.session;
  }

  /** Whether this stack has a session here or one saved to restore: a cheap look, before any SDK loads. */
  knows(key: string): boolean {
    return this.entries.has(key) || this.deps.state.get(SESSION_PREFIX + key) !== undefined;
  }

  /** Whether any deployment was saved to restore (one still running when the window closed). */
  hasSaved(): boolean {
    return this.deps.state.keys().some((key) => key.startsWith(SESSION_PREFIX));
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

  /** Every session in this window, running or ended. */
  sessions(): DeploymentSession[] {
    return [...this.entries.values()].map((e) => e.session);
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

  /** The deployment options remembered for `target` now, checked against its provider's. */
  savedOptions(target: TargetRef): DeploymentOptionValues {
    return rememberedOptions(this.deps.state, target, descriptorOf(target.provider).deploymentOptions ?? []);
  }

  /**
   * A changed option once the session's staging failed (nothing ran, nothing stages again): saved
   * for its target for the next deployment, if the review would have taken it. Returns whether it was.
   */
  async saveOption(session: DeploymentSession, change: { id: string; value: boolean | string }): Promise<boolean> {
    const snapshot = session.snapshot;
    if (!endedInStaging(snapshot)) return false;
    const specs = descriptorOf(session.target.provider).deploymentOptions ?? [];
    return rememberOptionChange(this.deps.state, session.target, specs, stagingKindOf(snapshot.context.described?.condition), change);
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
        // What the person chose in an earlier review of this target, checked against today's options.
        options: rememberedOptions(this.deps.state, target, descriptorFor(info.settings).deploymentOptions ?? []),
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
      // A deployment of another provider cannot be restored with this workspace's settings.
      if (!target || this.entries.has(key) || target.provider !== info.settings.provider) continue;
      // The provider settings (endpoint, profile) come from the workspace; the stack and region from the key.
      const settings = descriptorFor(info.settings).settingsFor(info.settings, target);
      const { options, provider } = await this.sessionOptions({ ...info, settings });
      try {
        const session = await DeploymentSession.restore(target, options);
        if (!session) {
          provider.dispose();
          continue;
        }
        const started = session.snapshot.context.operation?.startedAt ?? new Date().toISOString();
        this.adopt(session, provider, started);
        this.deps.log.info(l10n.t('Reattached to the deployment of {0}.', target.name));
      } catch (error) {
        provider.dispose();
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof ElsewhereSnapshotError) {
          this.deps.log.warn(message);
          void vscode.window.showWarningMessage(l10n.t('Stackwatch: {0}', message));
          continue;
        }
        this.deps.log.error(l10n.t('Could not restore the deployment of {0}: {1}', target.name, message));
        await this.store.remove(key);
        // A dropped deployment may still be running in the cloud: the person must hear of it.
        if (error instanceof UnusableSnapshotError) void vscode.window.showWarningMessage(l10n.t('Stackwatch: {0}', message));
      }
    }
  }

  focus(session: DeploymentSession): void {
    this.focused = session.key;
    this.deps.statusBar.follow(session);
  }

  private async sessionOptions(info: DeploymentContextInfo): Promise<{ options: SessionOptions; provider: OwnedProvider }> {
    const { settings, folder } = info;
    // The provider's SDK loads on first use, not at activation, from its own bundle.
    const runtime = await loadRuntime(settings.provider);
    const { provider, initialize, check, files } = await runtime.steps(settings, {
      workspaceFolder: folder.uri.fsPath,
      displayPath: relativePath,
      info: (message) => this.deps.log.info(message),
      memory: this.deps.state,
    });
    const options: SessionOptions = {
      provider,
      store: this.store,
      where: whereOf(settings),
      canLocate: runtime.locate !== undefined,
      // Read at each start and restore: what the workspace's earlier deployments took.
      durations: this.durations.load(),
      workspace: {
        preflight: createPreflight({ folder, files, buildTask: info.buildTask, state: this.deps.state, log: this.deps.log }),
        initialize,
        check,
      },
    };
    return { options, provider };
  }

  private adopt(session: DeploymentSession, provider: OwnedProvider, startedAt: string): void {
    const previous = this.entries.get(session.key);
    if (previous) this.release(previous);
    const stopFollowing = this.deps.followInLog(session);
    const stopRemembering = this.rememberOptionsOf(session);
    this.entries.set(session.key, {
      session,
      provider,
      startedAt,
      stopFollowing: () => {
        stopFollowing();
        stopRemembering();
      },
    });
    this.focus(session);
    void session.finished.then((end) => {
      this.handOverStatusBar(session);
      void this.durations
        .learnFrom(end)
        .catch((error: unknown) =>
          this.deps.log.error(l10n.t('Could not keep the durations learned: {0}', error instanceof Error ? error.message : String(error))),
        );
      const entry = historyEntry(end, startedAt, new Date().toISOString());
      if (entry) return this.deps.history.record(session.key, entry);
    });
  }

  /**
   * An option the person changed in the review (the machine took it: SET_OPTION) is remembered
   * for this target, so its next deployment stages with it too.
   */
  private rememberOptionsOf(session: DeploymentSession): () => void {
    const specs = descriptorOf(session.target.provider).deploymentOptions ?? [];
    if (specs.length === 0) return () => undefined;
    let seen = session.snapshot.context.options;
    return session.onDidChange((snapshot) => {
      const chosen = snapshot.context.options;
      if (chosen === seen) return;
      seen = chosen;
      void rememberOptions(this.deps.state, session.target, specs, chosen).catch((error: unknown) =>
        this.deps.log.error(
          l10n.t('Could not remember the deployment options of {0}: {1}', session.target.name, error instanceof Error ? error.message : String(error)),
        ),
      );
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
