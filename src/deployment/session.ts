/**
 * A DeploymentSession owns one deployment actor for one stack: it starts or resumes it,
 * persists every snapshot so a window reload can reattach, and tells listeners what changed.
 */
import * as l10n from '@vscode/l10n';
import { createActor, type ActorOptions, type Subscription } from 'xstate';
import type { Provider, TargetRef } from '../providers/provider';
import type { Deadlines } from './deadlines';
import {
  createDeploymentMachine,
  type DeploymentActor,
  type DeploymentContext,
  type DeploymentEventType,
  type DeploymentInput,
  type DeploymentSnapshot,
} from './machine';
import { CHECK_ID } from './machine/check';
import type { LearnedDurations } from './durations/learnedDurations';
import { providerActors, type WorkspaceSteps } from './providerActors';
import { redactForStorage, secretValuesOf } from './secrets';
import { descriptorOf, isKnownKind } from '../providers/registry';

/**
 * The shape of what is persisted. Bump it whenever the machine's states or context change in a
 * way an older snapshot can't be resumed into; an unknown version is dropped, with a notice.
 * 3: a cancelled operation is the port's 'cancelled', no longer a provider's own status string.
 *    Later additions kept 3: the context's options, findings, failureDetails, check,
 *    executeRequested and readiness are optional (a snapshot without them reads as no options
 *    chosen, no findings, no details, no background check to wait for, no step times), and the
 *    restaging state is new, so every version-3 snapshot still resumes as it was.
 */
export const SNAPSHOT_VERSION = 3;
/** Older versions a provider can still upgrade (ProviderDescriptor.upgradeSaved). */
const UPGRADABLE_VERSIONS: ReadonlySet<number> = new Set([2]);

interface VersionedSnapshot {
  stackwatchSnapshot: number;
  snapshot: unknown;
}

/** Where persisted snapshots live: workspace state in VS Code, a Map in tests. */
export interface SnapshotStore {
  load(key: string): Promise<unknown>;
  save(key: string, persisted: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

export interface SessionOptions {
  provider: Provider;
  workspace: WorkspaceSteps;
  store?: SnapshotStore;
  /** Timers for delays; tests pass a SimulatedClock. */
  clock?: ActorOptions<never>['clock'];
  random?: () => number;
  /** Per-call deadlines; tests pass short ones. */
  deadlines?: Partial<Deadlines>;
  /** Where the workspace points now (DeploymentInput.where); a deployment started elsewhere is not resumed here. */
  where?: string;
  /** The provider's runtime can place a pointer in the template (ProviderRuntime.locate is there). */
  canLocate?: boolean;
  /** How long changes took in this workspace before: polling and the ETA expect them (never persisted here). */
  durations?: LearnedDurations;
  /** The local clock the poll schedule reads; tests pass their simulated clock's. */
  now?: () => number;
}

/** What the host can do for a session's deployment, as the view model needs to know it. */
export interface SessionCapabilities {
  /** Open the template at a resource or finding (the runtime's locate). */
  locate: boolean;
  /** Read the deployed template for Compare with Deployed (the provider's deployedTemplate). */
  compare: boolean;
}

/**
 * A saved deployment was started against another account, profile, project or endpoint than the
 * workspace points at now: asking this one what happened would give the wrong answer. It is kept,
 * so switching back and reloading follows it again.
 */
export class ElsewhereSnapshotError extends Error {
  override readonly name = 'ElsewhereSnapshotError';
}

/** Why a persisted deployment could not be resumed; it is dropped and the person is told. */
export class UnusableSnapshotError extends Error {
  override readonly name = 'UnusableSnapshotError';
}

export function sessionKey(target: TargetRef): string {
  return [target.provider, target.region ?? '', target.name].join(':');
}

type Listener = (snapshot: DeploymentSnapshot) => void;

export class DeploymentSession {
  readonly key: string;
  private readonly actor: DeploymentActor;
  private readonly listeners = new Set<Listener>();
  private readonly subscription: Subscription;
  private saving: Promise<void> = Promise.resolve();
  readonly finished: Promise<DeploymentSnapshot>;

  private constructor(
    readonly target: TargetRef,
    private readonly options: SessionOptions,
    persisted: unknown,
    input: DeploymentInput | undefined,
  ) {
    this.key = sessionKey(target);
    const deploymentOptions = isKnownKind(target.provider) ? descriptorOf(target.provider).deploymentOptions : undefined;
    const machine = createDeploymentMachine({
      random: options.random,
      deadlines: options.deadlines,
      deploymentOptions,
      ...(options.durations ? { durations: options.durations } : {}),
      ...(options.now ? { now: options.now } : {}),
    }).provide({
      actors: providerActors(options.provider, options.workspace),
    });
    // A restored snapshot carries its own context; the input is only read on a fresh start.
    this.actor = createActor(machine, {
      input: input ?? (persisted as DeploymentSnapshot).context,
      snapshot: persisted as DeploymentSnapshot | undefined,
      // An explicit `clock: undefined` would replace xstate's default clock and no timer would ever fire.
      ...(options.clock ? { clock: options.clock } : {}),
    });
    let resolveFinished: (snapshot: DeploymentSnapshot) => void = () => undefined;
    this.finished = new Promise((resolve) => (resolveFinished = resolve));
    this.subscription = this.actor.subscribe({
      next: (snapshot) => {
        this.persist(snapshot);
        for (const listener of this.listeners) listener(snapshot);
        if (snapshot.status === 'done') resolveFinished(snapshot);
      },
      // Actor errors mean a bug in the machine; surface it rather than hang.
      error: (error) => {
        console.error(l10n.t('Stackwatch: deployment actor crashed'), error);
      },
    });
  }

  static start(input: DeploymentInput, options: SessionOptions): DeploymentSession {
    const session = new DeploymentSession(input.target, options, undefined, input);
    session.actor.start();
    return session;
  }

  /** Resumes a persisted deployment, e.g. after a window reload. */
  static resume(target: TargetRef, persisted: unknown, options: SessionOptions): DeploymentSession {
    const session = new DeploymentSession(target, options, prepareForResume(persisted), undefined);
    session.actor.start();
    session.actor.send({ type: 'RESUME' });
    // The background check's process did not survive the reload (and it is never persisted): run it again.
    session.actor.send({ type: 'RESUME_CHECK' });
    return session;
  }

  /**
   * Loads this stack's persisted deployment, if one was still running when the window closed.
   * One that can't be used (an older version, corrupt) is removed from the store and reported
   * with UnusableSnapshotError, so it never crashes a view or lingers in workspace state.
   */
  static async restore(target: TargetRef, options: SessionOptions): Promise<DeploymentSession | undefined> {
    const key = sessionKey(target);
    const stored = await options.store?.load(key);
    if (stored === undefined) return undefined;
    const persisted = unwrapSnapshot(stored);
    if (persisted === undefined) {
      await options.store?.remove(key);
      throw new UnusableSnapshotError(
        l10n.t(
          "The saved deployment of {0} is from another Stackwatch version or damaged, so it was discarded. Run Deploy Project to see the stack's current state.",
          target.name,
        ),
      );
    }
    if (!isResumable(persisted)) {
      await options.store?.remove(key);
      return undefined;
    }
    const startedAt = persisted.context?.where;
    if (startedAt !== undefined && options.where !== undefined && startedAt !== options.where) {
      throw new ElsewhereSnapshotError(
        l10n.t(
          'A deployment of {0} was running against {1}, but the workspace now points at {2}. Stackwatch did not reattach to it; point the settings back and reload the window to follow it.',
          target.name,
          startedAt,
          options.where,
        ),
      );
    }
    try {
      return DeploymentSession.resume(target, persisted, options);
    } catch (error) {
      await options.store?.remove(key);
      throw new UnusableSnapshotError(
        l10n.t(
          'The saved deployment of {0} could not be resumed ({1}), so it was discarded.',
          target.name,
          error instanceof Error ? error.message : String(error),
        ),
      );
    }
  }

  get snapshot(): DeploymentSnapshot {
    return this.actor.getSnapshot();
  }

  /** Pass to toViewModel: which of the row and review actions the host can carry out. */
  get capabilities(): SessionCapabilities {
    return { locate: this.options.canLocate === true, compare: this.options.provider.deployedTemplate !== undefined };
  }

  /** The learned durations this session expects (for the view model's expected times and ETA). */
  get durations(): LearnedDurations | undefined {
    return this.options.durations;
  }

  get isFinished(): boolean {
    return this.snapshot.status === 'done';
  }

  send(event: DeploymentEventType): void {
    this.actor.send(event);
  }

  onDidChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits until pending snapshot writes are stored. */
  flush(): Promise<void> {
    return this.saving;
  }

  /** Stops watching. The cloud operation itself goes on; only a Stop or Abort event ends that. */
  dispose(): void {
    this.subscription.unsubscribe();
    this.actor.stop();
    this.listeners.clear();
  }

  private persist(snapshot: DeploymentSnapshot): void {
    const store = this.options.store;
    if (!store) return;
    const persisted = snapshot.status === 'done' ? undefined : persistable(this.actor.getPersistedSnapshot(), snapshot.context);
    // Writes are chained so an older snapshot never lands after a newer one.
    this.saving = this.saving
      .then(() => (persisted === undefined ? store.remove(this.key) : store.save(this.key, persisted)))
      .catch((error: unknown) => console.error(l10n.t('Stackwatch: could not persist the deployment'), error));
  }
}

interface PersistedShape {
  status?: unknown;
  value?: unknown;
  children?: unknown;
  context?: Partial<DeploymentContext>;
}

/**
 * What may be stored: the snapshot without any secret. secret parameter values, sensitive
 * outputs and any copy of them in other text are removed; a resumed deployment never needs
 * them, because it never stages again from persisted inputs (see prepareForResume).
 */
function persistable(persisted: unknown, context: DeploymentContext): VersionedSnapshot {
  return { stackwatchSnapshot: SNAPSHOT_VERSION, snapshot: redactForStorage(withoutCheck(persisted), secretValuesOf(context)) };
}

/**
 * The running background check is not stored: its input repeats the whole template, and a process
 * cannot be resumed anyway. A restore runs it again (RESUME_CHECK) from the context.
 */
function withoutCheck(persisted: unknown): unknown {
  const shape = persisted as PersistedShape;
  if (typeof shape.children !== 'object' || shape.children === null || !(CHECK_ID in shape.children)) return persisted;
  const { [CHECK_ID]: _dropped, ...children } = shape.children as Record<string, unknown>;
  return { ...shape, children };
}

function unwrapSnapshot(stored: unknown): unknown {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const versioned = stored as Partial<VersionedSnapshot>;
  const version = versioned.stackwatchSnapshot;
  if (typeof version !== 'number' || (version !== SNAPSHOT_VERSION && !UPGRADABLE_VERSIONS.has(version))) return undefined;
  if (!hasUsableContext(versioned.snapshot) || !hasKnownState(versioned.snapshot)) return undefined;
  return version === SNAPSHOT_VERSION ? versioned.snapshot : upgraded(versioned.snapshot as PersistedShape, version);
}

/** A snapshot of an older version, its provider's own encodings rewritten into today's. */
function upgraded(snapshot: PersistedShape, version: number): PersistedShape {
  const context = snapshot.context as DeploymentContext;
  if (!isKnownKind(context.target.provider)) return snapshot;
  const upgrade = descriptorOf(context.target.provider).upgradeSaved;
  return upgrade ? { ...snapshot, context: upgrade(context, version) } : snapshot;
}

/** Only resolves state values; one is enough for every restore. */
let stateChecker: ReturnType<typeof createDeploymentMachine> | undefined;

/** A state this version of the machine does not have cannot be resumed (xstate would only log it). */
function hasKnownState(snapshot: unknown): boolean {
  const shape = snapshot as PersistedShape;
  stateChecker ??= createDeploymentMachine();
  try {
    stateChecker.resolveState({ value: shape.value as never, context: shape.context as DeploymentContext });
    return true;
  } catch {
    return false;
  }
}

/** The parts every view reads; a snapshot without them would crash the monitor, not resume. */
function hasUsableContext(snapshot: unknown): boolean {
  if (typeof snapshot !== 'object' || snapshot === null) return false;
  const shape = snapshot as PersistedShape;
  const c = shape.context;
  if (typeof c !== 'object' || c === null) return false;
  return (
    typeof c.deploymentId === 'string' &&
    typeof c.target === 'object' &&
    c.target !== null &&
    typeof c.status === 'object' &&
    c.status !== null &&
    Array.isArray(c.changes) &&
    Array.isArray(c.events) &&
    Array.isArray(c.notices) &&
    Array.isArray(c.outputs) &&
    typeof c.resources === 'object' &&
    c.resources !== null &&
    (typeof shape.value === 'string' || (typeof shape.value === 'object' && shape.value !== null))
  );
}

function isResumable(persisted: unknown): persisted is PersistedShape {
  return typeof persisted === 'object' && persisted !== null && (persisted as PersistedShape).status === 'active';
}

/**
 * A restored actor re-runs the promise it was waiting on but loses pending timers, and it
 * must never repeat a request whose effect is unknown. Timer states answer RESUME (sent right
 * after start). Two states need more:
 * - an interrupted execute asks the provider what happened to the staged changes
 *   (findExecution) instead of executing again;
 * - a stage, or the read of what it staged, has lost its secret inputs (never persisted), so the
 *   template step runs again, and staging the same round adopts what was staged, by its name. That
 *   gives the provider the secret values again before anything is read back: a read without them
 *   could show a value the provider itself does not mask (one passed on to a plain input).
 */
export function prepareForResume(persisted: unknown): unknown {
  if (!isResumable(persisted)) return persisted;
  const value = persisted.value;
  // Saved before the consent listed what the recovery destroys: list it now (RESUME sends the call).
  if (value === 'awaitingConsent') return { ...persisted, value: { awaitingConsent: 'listingBackoff' }, children: {} };
  if (typeof value !== 'object' || value === null) return persisted;
  const state = value as Record<string, unknown>;
  if (state.executing === 'run' || state.executing === 'runBackoff') {
    return { ...persisted, value: { executing: 'resumed' }, children: {} };
  }
  if (state.staging !== undefined) {
    return { ...persisted, value: { initializing: 'runBackoff' }, children: {}, context: { ...persisted.context, resumeStaging: true } };
  }
  // Any other call in flight lost its deadline timer (timers are not persisted): park it in its
  // backoff, whose RESUME sends it again under a fresh deadline.
  const parked = parkedCall(value);
  if (parked !== undefined && hasKnownState({ ...persisted, value: parked })) return { ...persisted, value: parked, children: {} };
  return persisted;
}

/** The same state value with its innermost call state X replaced by XBackoff, or undefined. */
function parkedCall(value: unknown): unknown {
  if (typeof value === 'string') return value.endsWith('Backoff') ? undefined : `${value}Backoff`;
  if (typeof value !== 'object' || value === null) return undefined;
  const entries: [string, unknown][] = Object.entries(value);
  const [key, inner] = entries[0] ?? [];
  if (key === undefined) return undefined;
  const parked = parkedCall(inner);
  return parked === undefined ? undefined : { [key]: parked };
}
