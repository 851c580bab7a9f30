/**
 * A DeploymentSession owns one deployment actor for one stack: it starts or resumes it,
 * persists every snapshot so a window reload can reattach, and tells listeners what changed.
 */
import { createActor, type ActorOptions, type Subscription } from 'xstate';
import type { Provider, TargetRef } from '../providers/provider';
import { createDeploymentMachine, type DeploymentActor, type DeploymentEventType, type DeploymentInput, type DeploymentSnapshot } from './machine';
import { providerActors, type WorkspaceSteps } from './providerActors';

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
    const machine = createDeploymentMachine({ random: options.random }).provide({
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
        console.error('Stackwatch: deployment actor crashed', error);
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
    return session;
  }

  /** Loads this stack's persisted deployment, if one was still running when the window closed. */
  static async restore(target: TargetRef, options: SessionOptions): Promise<DeploymentSession | undefined> {
    const persisted = await options.store?.load(sessionKey(target));
    if (!isResumable(persisted)) return undefined;
    return DeploymentSession.resume(target, persisted, options);
  }

  get snapshot(): DeploymentSnapshot {
    return this.actor.getSnapshot();
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
    const persisted = snapshot.status === 'done' ? undefined : this.actor.getPersistedSnapshot();
    // Writes are chained so an older snapshot never lands after a newer one.
    this.saving = this.saving
      .then(() => (persisted === undefined ? store.remove(this.key) : store.save(this.key, persisted)))
      .catch((error: unknown) => console.error('Stackwatch: could not persist the deployment', error));
  }
}

interface PersistedShape {
  status?: unknown;
  value?: unknown;
  children?: unknown;
}

function isResumable(persisted: unknown): persisted is PersistedShape {
  return typeof persisted === 'object' && persisted !== null && (persisted as PersistedShape).status === 'active';
}

/**
 * A restored actor re-runs the promise it was waiting on but loses pending timers, and it
 * must never repeat a request whose effect is unknown. Timer states answer RESUME (sent right
 * after start); an interrupted execute is parked in its backoff, whose RESUME asks the stack
 * whether the execute went through (and reattaches if it did).
 */
export function prepareForResume(persisted: unknown): unknown {
  if (!isResumable(persisted)) return persisted;
  const value = persisted.value;
  if (typeof value === 'object' && value !== null && (value as Record<string, unknown>).executing === 'run') {
    return { ...persisted, value: { executing: 'backoff' }, children: {} };
  }
  return persisted;
}
