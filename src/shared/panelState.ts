/**
 * What the monitor webview keeps in VS Code's panel state (`setState`), and all it keeps: the last
 * model, so a panel restored after a reload paints before the host answers, and the host's panel
 * serializer can tell which deployment the panel showed.
 */
import type { MonitorViewModel } from './viewModel';

export interface SavedPanelState {
  model: MonitorViewModel;
}
