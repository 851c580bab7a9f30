/**
 * Which commands a deployment lets act now, as `when`-clause context key values: by the same
 * controls the monitor's buttons follow, so a menu never offers a command only for it to refuse.
 * Pure; commandContext.ts publishes the values.
 */
import type { DeploymentSnapshot } from '../deployment/machine';
import { isRunning } from '../deployment/snapshotReaders';
import type { ViewCapabilities } from './reviewModel';
import { toViewModel } from './viewModel';

/** Keys of CONTEXT_KEYS (src/commands/ids.ts) that follow the deployments. */
export type CommandContextKey = 'canStop' | 'canCompare' | 'canSaveStaged' | 'hasDeployment';

export type CommandContext = Record<CommandContextKey, boolean>;

/** What one deployment lets the commands do. */
export function commandContextOf(snapshot: DeploymentSnapshot, capabilities: ViewCapabilities = {}): CommandContext {
  const model = toViewModel(snapshot, Date.now(), capabilities);
  return {
    canStop: model.controls.stop.enabled,
    // Only where the provider gives the deployed template: Compare would otherwise only refuse.
    canCompare: isRunning(snapshot) && model.phase === 'review' && model.controls.compare,
    canSaveStaged: model.controls.saveTemplate,
    hasDeployment: true,
  };
}

/** The window's values: a key is set while any of its deployments sets it. */
export function windowCommandContext(contexts: Iterable<CommandContext>): CommandContext {
  const window: CommandContext = { canStop: false, canCompare: false, canSaveStaged: false, hasDeployment: false };
  for (const context of contexts) for (const key of Object.keys(window) as CommandContextKey[]) window[key] ||= context[key];
  return window;
}
