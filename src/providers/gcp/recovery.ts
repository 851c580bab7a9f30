/** The words shown for each way out of a stuck deployment. Every one needs consent. */
import type { RecoveryAction, RecoveryActionId } from '../provider';

/** `locked`: the deployment holds a Terraform lock, which a force delete releases first. */
export function recoveryAction(id: RecoveryActionId, deploymentId: string, status: string, locked = false): RecoveryAction {
  switch (id) {
    case 'unlock':
      return {
        id,
        label: 'Unlock and deploy',
        description: `Release the Terraform lock on ${deploymentId} (${status}). Only do this if no other apply is still running on it: two runs at once can corrupt its state. Then deploy again.`,
        destructive: false,
        restartsDeployment: true,
      };
    case 'forceDelete':
    case 'delete':
      return {
        id,
        label: 'Delete and recreate',
        description: `${locked ? `Release the Terraform lock on ${deploymentId} first (only do this if no other apply is still running on it), then delete` : 'Delete'} the deployment ${deploymentId} (${status}) with force: Terraform destroys every resource it manages and its revisions are removed. Then deploy again from scratch.`,
        destructive: true,
        restartsDeployment: true,
      };
    case 'continueRollback':
    case 'rollback':
      // Infrastructure Manager has no rollback; these are never offered for a deployment.
      return {
        id,
        label: 'Roll back',
        description: `Infrastructure Manager cannot roll back ${deploymentId}: there is no rollback, only a new apply.`,
        destructive: false,
        restartsDeployment: false,
      };
  }
}
