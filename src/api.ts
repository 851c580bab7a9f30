/**
 * What `activate` returns: a read-only view of Stackwatch's deployments for other extensions,
 * scripts and the workbench tests. Nothing here can change a deployment; commands do that.
 */
import type { DeploymentManager } from './app/deploymentManager';
import type { DeploymentStatusBar } from './ui/statusBar';
import { MonitorPanel } from './ui/monitorPanel';
import { toViewModel } from './ui/viewModel';
import type { MonitorViewModel } from './shared/viewModel';

export interface DeploymentView {
  deploymentId: string;
  /** The machine's state, e.g. "reviewing", or { monitoring: "waiting" }. */
  state: unknown;
  finished: boolean;
  model: MonitorViewModel;
  /** A monitor panel is open for it (visible or in a background tab). */
  monitorOpen: boolean;
  monitorVisible: boolean;
}

export interface StackwatchApi {
  /** The deployment Stackwatch holds for this stack key (`aws:<region>:<stack>`), if any. */
  deployment(stackKey: string): DeploymentView | undefined;
  /** The status-bar item as shown, or undefined while hidden. */
  statusBar(): { text: string; tooltip: string } | undefined;
}

export function createApi(manager: DeploymentManager, statusBar: DeploymentStatusBar): StackwatchApi {
  return {
    deployment(stackKey) {
      const session = manager.get(stackKey);
      if (!session) return undefined;
      const panel = MonitorPanel.find(stackKey);
      return {
        deploymentId: session.snapshot.context.deploymentId,
        state: session.snapshot.value,
        finished: session.isFinished,
        model: toViewModel(session.snapshot),
        monitorOpen: panel !== undefined && panel.session === session,
        monitorVisible: panel?.visible ?? false,
      };
    },
    statusBar: () => statusBar.shown(),
  };
}
