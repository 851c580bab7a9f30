/**
 * Runs real deployments for provider tests: the real machine, the real AWS adapter and the
 * real SDK, against whatever endpoint the provider points at (the local simulator or moto).
 */
import type { InitializedDeployment } from '../../src/deployment/machine';
import type { WorkspaceSteps } from '../../src/deployment/providerActors';
import { DeploymentSession, type SnapshotStore } from '../../src/deployment/session';
import type { DeploymentSnapshot } from '../../src/deployment/machine';
import type { ParameterValue, Provider, TemplateSource } from '../../src/providers/provider';
import { AwsProvider } from '../../src/providers/aws/awsProvider';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIASTACKWATCHTEST', secretAccessKey: 'stackwatch-test-secret' };

export function awsProvider(endpoint: string, overrides: Partial<ConstructorParameters<typeof AwsProvider>[0]> = {}): AwsProvider {
  return new AwsProvider({ region: 'us-east-1', endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1, ...overrides });
}

export function templateSource(body: string, path = 'template.yaml'): TemplateSource {
  return { path, body, format: path.endsWith('.json') ? 'json' : 'yaml', sizeBytes: Buffer.byteLength(body, 'utf8') };
}

export interface DeployOptions {
  provider: Provider;
  stackName: string;
  template: string;
  parameters?: ParameterValue[];
  capabilities?: string[];
  autoExecute?: boolean;
  deploymentId?: string;
  store?: SnapshotStore;
  /** Replaces the plain template step, e.g. with the real template initializer. */
  initialize?: WorkspaceSteps['initialize'];
}

let counter = 0;

export function uniqueDeploymentId(prefix = 'dep'): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export function workspaceFor(options: Pick<DeployOptions, 'template' | 'parameters' | 'capabilities' | 'initialize'>): WorkspaceSteps {
  const initialized: InitializedDeployment = {
    template: templateSource(options.template),
    parameters: options.parameters ?? [],
    capabilities: options.capabilities ?? [],
    warnings: [],
  };
  return {
    preflight: async () => undefined,
    initialize: options.initialize ?? (async () => initialized),
  };
}

export function startDeployment(options: DeployOptions): DeploymentSession {
  return DeploymentSession.start(
    {
      deploymentId: options.deploymentId ?? uniqueDeploymentId(),
      target: { provider: 'aws', name: options.stackName, region: 'us-east-1' },
      autoExecute: options.autoExecute ?? true,
    },
    { provider: options.provider, workspace: workspaceFor(options), store: options.store },
  );
}

/** Resolves with the first snapshot that satisfies the predicate; fails with where it got stuck. */
export function waitFor(
  session: DeploymentSession,
  predicate: (snapshot: DeploymentSnapshot) => boolean,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<DeploymentSnapshot> {
  return new Promise((resolve, reject) => {
    if (predicate(session.snapshot)) return resolve(session.snapshot);
    const timer = setTimeout(() => {
      stop();
      const s = session.snapshot;
      reject(
        new Error(
          `Timed out after ${timeoutMs} ms waiting for ${what}; state ${JSON.stringify(s.value)}, stack ${s.context.providerStatus}, error ${s.context.error?.message}`,
        ),
      );
    }, timeoutMs);
    const stop = session.onDidChange((snapshot) => {
      if (!predicate(snapshot)) return;
      clearTimeout(timer);
      stop();
      resolve(snapshot);
    });
  });
}

export function waitForEnd(session: DeploymentSession, timeoutMs = 60_000): Promise<DeploymentSnapshot> {
  return waitFor(session, (s) => s.status === 'done', timeoutMs, 'the deployment to end');
}

export function inState(state: string): (snapshot: DeploymentSnapshot) => boolean {
  return (snapshot) => snapshot.matches(state as never);
}

/** A SnapshotStore in memory, as workspace state would be. JSON round-trips, like VS Code's storage. */
export class MemoryStore implements SnapshotStore {
  readonly data = new Map<string, string>();
  async load(key: string): Promise<unknown> {
    const value = this.data.get(key);
    return value === undefined ? undefined : JSON.parse(value);
  }
  async save(key: string, persisted: unknown): Promise<void> {
    this.data.set(key, JSON.stringify(persisted));
  }
  async remove(key: string): Promise<void> {
    this.data.delete(key);
  }
}
