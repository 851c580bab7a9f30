/**
 * A large deployment mid-way, as the monitor would show it: 500 rows in nested stacks, with
 * physical IDs, start and end times, expected durations, badges, change details, a failure with
 * its reason and cancellations. Shared by the webview tests and scripts/benchWebview.ts.
 */
import type { ChangeRow, MonitorViewModel, ViewModelDelta } from '../../src/shared/viewModel';
import { statusLine } from '../../src/ui/viewModel';
import { diffViewModel } from '../../src/shared/viewModelDelta';
import { creatingModel } from './models';

const TYPES = ['AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::SQS::Queue', 'AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::SNS::Topic'];
const EXPECTED_MS: Record<string, number> = {
  'AWS::Lambda::Function': 8_000,
  'AWS::IAM::Role': 15_000,
  'AWS::SQS::Queue': 62_000,
  'AWS::DynamoDB::Table': 12_000,
  'AWS::S3::Bucket': 4_000,
  'AWS::SNS::Topic': 3_000,
};
/** Every this many rows, a nested stack whose next rows sit inside it. */
const STACK_EVERY = 50;

function statusAt(i: number, count: number): ChangeRow['status'] {
  if (i === Math.floor(count * 0.4)) return 'failed';
  if (i < count * 0.4) return 'succeeded';
  if (i < count * 0.45) return 'inProgress';
  if (i < count * 0.5) return 'cancelled';
  return 'pending';
}

/** `count` rows: every 50th a nested stack, the rows after it its children (and every 10th child's child a level deeper). */
export function bigRows(count: number, now: number): ChangeRow[] {
  const rows: ChangeRow[] = [];
  let stack = '';
  let inner = '';
  for (let i = 0; i < count; i++) {
    const status = statusAt(i, count);
    const started = status === 'pending' ? undefined : new Date(now - 120_000 + i * 100).toISOString();
    const ended = status === 'succeeded' || status === 'failed' || status === 'cancelled' ? new Date(now - 60_000 + i * 50).toISOString() : undefined;
    const isStack = i % STACK_EVERY === 0;
    const type = isStack ? 'AWS::CloudFormation::Stack' : TYPES[i % TYPES.length];
    const name = isStack ? `Stack${i}` : i % 10 === 5 && inner ? `Item${i}` : `Resource${i}`;
    let logicalId = name;
    let parent: string | undefined;
    let depth: number | undefined;
    if (isStack) {
      stack = name;
      inner = '';
    } else if (i % 10 === 5 && inner) {
      parent = inner;
      logicalId = `${inner}/${name}`;
      depth = 2;
    } else {
      parent = stack;
      logicalId = `${stack}/${name}`;
      depth = 1;
      if (i % 10 === 4) inner = logicalId;
    }
    const row: ChangeRow = {
      logicalId,
      action: i % 7 === 0 ? 'Modify' : 'Add',
      resourceType: type,
      physicalId: status === 'pending' ? undefined : `big-stack-${name}-${(i * 7919).toString(36).toUpperCase()}`,
      status,
      parent,
      depth,
      startedAt: started,
      endedAt: ended,
      expectedMs: isStack ? 90_000 : EXPECTED_MS[type],
      hasLocation: true,
      hasConsoleLink: status !== 'pending',
      replacement: i % 7 === 0 ? (i % 14 === 0 ? 'True' : 'False') : undefined,
      details: i % 7 === 0 ? ['Properties.Code (requires replacement)'] : undefined,
      providerStatus: status === 'failed' ? 'CREATE_FAILED' : undefined,
      reason:
        status === 'failed'
          ? 'Resource handler returned message: "Queue name already exists" (HandlerErrorCode: AlreadyExists)'
          : status === 'cancelled'
            ? 'Resource creation cancelled'
            : undefined,
    };
    rows.push(row);
  }
  return rows;
}

export function bigMonitoringModel(count = 500, now = Date.now()): MonitorViewModel {
  const changes = bigRows(count, now);
  const done = changes.filter((row) => row.status === 'succeeded').length;
  const failed = changes.filter((row) => row.status === 'failed').length;
  return {
    ...creatingModel(),
    stackName: 'big-stack',
    changes,
    progress: { done, total: count, failed },
    statusLine: statusLine(done, count, failed, 'CREATE_IN_PROGRESS'),
    timeline: { startedAt: now - 120_000, expectedEndAt: now + 180_000, basis: 'history' },
  };
}

/** One row's status change, as the host's diffViewModel sends it: that row, the progress and the status line. */
export function statusDelta(model: MonitorViewModel, index: number, now = Date.now()): ViewModelDelta {
  const row = model.changes[index];
  const finished = row.status === 'inProgress';
  const next: ChangeRow = finished
    ? { ...row, status: 'succeeded', endedAt: new Date(now).toISOString() }
    : { ...row, status: 'inProgress', startedAt: new Date(now).toISOString(), endedAt: undefined };
  const done = model.progress.done + (finished ? 1 : 0);
  const after: MonitorViewModel = {
    ...model,
    changes: model.changes.map((each, i) => (i === index ? next : each)),
    progress: { ...model.progress, done },
    statusLine: statusLine(done, model.progress.total, model.progress.failed, 'CREATE_IN_PROGRESS'),
  };
  const delta = diffViewModel(model, after);
  if (!delta) throw new Error(`row ${index} did not change`);
  // As from the wire: plain JSON, no shared references with the model.
  return JSON.parse(JSON.stringify(delta)) as ViewModelDelta;
}
