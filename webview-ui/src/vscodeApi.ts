/**
 * The one place that touches `acquireVsCodeApi`: everything else posts typed protocol messages
 * and never sees the raw API (which may be called only once per page).
 */
import type { WebviewMessage } from '../../src/shared/protocol';
import type { SavedPanelState } from '../../src/shared/panelState';
import type { MonitorViewModel } from '../../src/shared/viewModel';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface Host {
  post(message: WebviewMessage): void;
  /** Kept by VS Code while the panel is hidden, so a restored panel paints before the host answers. */
  saveModel(model: MonitorViewModel): void;
  savedModel(): MonitorViewModel | undefined;
}

function isSavedState(value: unknown): value is SavedPanelState {
  if (typeof value !== 'object' || value === null) return false;
  const model = (value as { model?: unknown }).model;
  return typeof model === 'object' && model !== null && Array.isArray((model as { changes?: unknown }).changes);
}

export function connectHost(): Host {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    saveModel: (model) => api.setState({ model } satisfies SavedPanelState),
    savedModel: () => {
      const state = api.getState();
      return isSavedState(state) ? state.model : undefined;
    },
  };
}
