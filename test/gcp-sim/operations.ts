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
  done: boolean;
  response?: Record<string, unknown>;
  error?: { code: number; message: string };
}

export class OperationBook {
  private operations = new Map<string, OperationRecord>();
  private byRequest = new Map<string, string>();
  private seq = 0;

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
    const name = this.byRequest.get(key);
    return name === undefined ? undefined : this.operations.get(name);
  }

  remember(key: string | undefined, operation: OperationRecord): void {
    if (key) this.byRequest.set(key, operation.name);
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
