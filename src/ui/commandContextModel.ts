/**
 * Which commands a deployment lets act now, as `when`-clause context key values: by the same
 * controls the monitor's buttons follow, so a menu never offers a command only for it to refuse.
 * Pure; commandContext.ts publishes the values.
 */
import type { DeploymentSnapshot } from '../deployment/machine';
import { isRunning } from '../deployment/snapshotReaders';
import { toViewModel } from './viewModel';

/** Keys of CONTEXT_KEYS (src/commands/ids.ts) that follow the deployments. */
export type CommandContextKey = 'canStop' | 'deploymentInReview' | 'canSaveStaged' | 'hasDeployment';

export type CommandContext = Record<CommandContextKey, boolean>;

/** What one deployment lets the commands do. */
export function commandContextOf(snapshot: DeploymentSnapshot): CommandContext {
  const model = toViewModel(snapshot);
  return {
    canStop: model.controls.stop.enabled,
    deploymentInReview: isRunning(snapshot) && model.phase === 'review',
    canSaveStaged: model.controls.saveTemplate,
    hasDeployment: true,
  };
}

/** The window's values: a key is set while any of its deployments sets it. */
export function windowCommandContext(contexts: Iterable<CommandContext>): CommandContext {
  const window: CommandContext = { canStop: false, deploymentInReview: false, canSaveStaged: false, hasDeployment: false };
  for (const context of contexts) for (const key of Object.keys(window) as CommandContextKey[]) window[key] ||= context[key];
  return window;
}
