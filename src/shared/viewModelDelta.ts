/**
 * The host sends the webview what changed instead of the whole model. Both sides run this one
 * module, so a model rebuilt from deltas is the model the host built.
 */
import type { ChangeRow, MonitorViewModel, ViewModelDelta } from './viewModel';

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function diffViewModel(previous: MonitorViewModel, next: MonitorViewModel): ViewModelDelta | undefined {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys({ ...previous, ...next }) as Array<keyof MonitorViewModel>) {
    if (key === 'changes') continue;
    // An absent key is sent as null so the webview can clear it (JSON drops undefined).
    if (!same(previous[key], next[key])) fields[key] = next[key] ?? null;
  }
  const before = new Map(previous.changes.map((row) => [row.logicalId, row]));
  const rows = next.changes.filter((row) => !same(before.get(row.logicalId), row));
  const orderChanged = previous.changes.length !== next.changes.length || previous.changes.some((row, i) => row.logicalId !== next.changes[i]?.logicalId);
  if (Object.keys(fields).length === 0 && rows.length === 0 && !orderChanged) return undefined;
  const delta: ViewModelDelta = { fields, rows };
  if (orderChanged) delta.order = next.changes.map((row) => row.logicalId);
  return delta;
}

export function applyDelta(model: MonitorViewModel, delta: ViewModelDelta): MonitorViewModel {
  const next = { ...model } as Record<string, unknown>;
  for (const [key, value] of Object.entries(delta.fields)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  const rows = new Map(model.changes.map((row) => [row.logicalId, row]));
  for (const row of delta.rows) rows.set(row.logicalId, row);
  const order = delta.order ?? model.changes.map((row) => row.logicalId);
  next.changes = order.map((id) => rows.get(id)).filter((row): row is ChangeRow => row !== undefined);
  return next as unknown as MonitorViewModel;
}
