/**
 * The public face of im-sim, the local Infrastructure Manager (config.googleapis.com v1) and
 * Cloud Storage upload endpoint. Tests, `npm start` and the workbench scenario use only this.
 */

export interface GcpSimOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** Simulated seconds per real second. 0 stands still: only advance() moves time. Default 1. */
  speed?: number;
  /** Bearer token every request must carry. Default 'sim-token'. */
  token?: string;
  /** Simulated seconds a preview takes to plan. Default 3. */
  previewSeconds?: number;
  /** Default simulated seconds per resource when the blueprint does not say. Default 2. */
  resourceSeconds?: number;
  /** Simulated seconds an apply or delete spends on its setup steps (bucket, download, init, plan) before the first resource. Default 1. */
  setupSeconds?: number;
}

/** A fault for the next matching requests: 429 RESOURCE_EXHAUSTED or 503 UNAVAILABLE. */
export interface GcpFaultRule {
  kind: 'throttle' | 'unavailable';
  /** HTTP method to match; any when absent. */
  method?: string;
  /** Substring of the request path to match, e.g. ':cancel' or '/previews'. Any when absent. */
  pathIncludes?: string;
  /** How many matching requests fail. Default 1. */
  times?: number;
}

export interface GcpSimRequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Simulated time the request arrived. */
  at: string;
  /** HTTP status answered (set once answered). */
  status?: number;
}

export interface GcpSim {
  /** Pass as `rootUrl` to the config v1 and storage v1 clients, e.g. http://127.0.0.1:PORT/. */
  rootUrl: string;
  token: string;
  close(): Promise<void>;
  /** Moves simulated time forward. */
  advance(seconds: number): void;
  setSpeed(speed: number): void;
  inject(rule: GcpFaultRule): void;
  /** Every API request so far, oldest first. */
  requests(): GcpSimRequestRecord[];
  /** The stored Deployment resources, as the API would return them. */
  deployments(): Record<string, unknown>[];
  /** Uploaded objects: bucket, name, generation, size. */
  objects(): { bucket: string; name: string; generation: string; size: number }[];
  /** Puts a deployment in a state directly (FAILED, SUSPENDED, …) to set up recovery tests. */
  setDeploymentState(deploymentName: string, state: string): void;
  /** Locks a deployment as a crashed Terraform run would (lockState LOCKED). */
  lock(deploymentName: string): void;
  /** Someone else applied a new revision: latestRevision moves and the deployment's previews are deleted. */
  applyOutOfBand(deploymentName: string): void;
  /** Forget everything. */
  reset(): void;
}
