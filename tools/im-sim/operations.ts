/**
 * Long-running operations. Every mutating call returns one; the job that does the work moves
 * its step along and finally sets `done` with a response or an error. Request IDs map to the
 * operation they first started, which is what makes a retried call idempotent.
 */
import { randomUUID } from 'node:crypto';

export interface OperationRecord {
  name: string;
  createTime: number;
  endTime?: number;
  target: string;
  verb: string;
  kind: 'deployment' | 'preview' | 'plain';
  step?: string;
  logs?: string;
  build?: string;
  requestedCancellation: boolean;
  /** The cancel was accepted and is ignored (cancel.ts, 'ignored'): the job runs on. */
  cancelIgnored?: boolean;
  done: boolean;
  response?: Record<string, unknown>;
  error?: { code: number; message: string };
}

/**
 * How long a request ID is remembered. config.proto promises "at least 60 minutes" for a
 * repeated request_id; the sim forgets it exactly then, so nothing may rely on it for longer.
 */
export const REQUEST_ID_WINDOW_MS = 60 * 60 * 1000;

export class OperationBook {
  private operations = new Map<string, OperationRecord>();
  private byRequest = new Map<string, { operation: string; at: number }>();
  private seq = 0;

  /** `now`: the simulated clock; without one, request IDs are never forgotten. */
  constructor(private readonly now?: () => number) {}

  /** `location` is `projects/P/locations/L`. */
  start(location: string, now: number, fields: Pick<OperationRecord, 'target' | 'verb' | 'kind'> & Partial<OperationRecord>): OperationRecord {
    this.seq++;
    const id = `operation-${Math.floor(now)}-${randomUUID().replace(/-/g, '').slice(0, 8)}${this.seq.toString(16)}`;
    const operation: OperationRecord = { name: `${location}/operations/${id}`, createTime: now, requestedCancellation: false, done: false, ...fields };
    this.operations.set(operation.name, operation);
    return operation;
  }

  /** The operation an earlier call with this request ID started, if any. */
  forRequest(key: string | undefined): OperationRecord | undefined {
    if (!key) return undefined;
    const seen = this.byRequest.get(key);
    if (seen === undefined) return undefined;
    if (this.now && this.now() - seen.at >= REQUEST_ID_WINDOW_MS) {
      // Past the window the ID is new again: a repeat runs as a new request.
      this.byRequest.delete(key);
      return undefined;
    }
    return this.operations.get(seen.operation);
  }

  remember(key: string | undefined, operation: OperationRecord): void {
    if (key) this.byRequest.set(key, { operation: operation.name, at: this.now?.() ?? operation.createTime });
  }

  get(name: string): OperationRecord | undefined {
    return this.operations.get(name);
  }

  list(location: string): OperationRecord[] {
    return [...this.operations.values()].filter((o) => o.name.startsWith(`${location}/operations/`));
  }

  delete(name: string): boolean {
    return this.operations.delete(name);
  }

  clear(): void {
    this.operations.clear();
    this.byRequest.clear();
  }
}

export function succeed(operation: OperationRecord, at: number, response: Record<string, unknown>): void {
  if (operation.done) return;
  operation.done = true;
  operation.endTime = at;
  operation.response = response;
  if (operation.kind !== 'plain') operation.step = 'SUCCEEDED';
}

export function fail(operation: OperationRecord, at: number, error: { code: number; message: string }): void {
  if (operation.done) return;
  operation.done = true;
  operation.endTime = at;
  operation.error = error;
  if (operation.kind !== 'plain') operation.step = 'FAILED';
}
