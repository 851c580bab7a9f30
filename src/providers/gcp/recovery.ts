/** The words shown for each way out of a stuck deployment. Every one needs consent. */
import type { RecoveryAction, RecoveryActionId } from '../provider';
import { describeHolder, UNLOCK_RISK, type HeldLock } from './locks';

/**
 * `lock`: the Terraform lock the deployment holds, with who holds it when that could be read
 * (`true`: held, holder unknown). Releasing it is part of Unlock and of a force delete, so both
 * say whose lock it is and what releasing it risks before anyone agrees.
 */
export function recoveryAction(id: RecoveryActionId, deploymentName: string, status: string, lock: HeldLock | boolean = false): RecoveryAction {
  const held: HeldLock | undefined = lock === true ? { state: 'LOCKED' } : lock || undefined;
  const holder = !held ? '' : held.facts ? ` It is ${describeHolder(held.facts)}.` : ' Who holds it could not be read.';
  switch (id) {
    case 'unlock':
      return {
        id,
        label: 'Unlock and deploy',
        description: `Release the Terraform lock on ${deploymentName} (${status}), then deploy again.${holder} ${UNLOCK_RISK}`,
        destructive: false,
        restartsDeployment: true,
      };
    case 'forceDelete':
    case 'delete':
      return {
        id,
        label: 'Delete and recreate',
        description: `${held ? `Release the Terraform lock on ${deploymentName} first, then delete` : 'Delete'} the deployment ${deploymentName} (${status}) with force: Terraform destroys every resource it manages and its revisions are removed. Then deploy again from scratch.${held ? `${holder} ${UNLOCK_RISK}` : ''}`,
        destructive: true,
        restartsDeployment: true,
      };
    case 'continueRollback':
    case 'rollback':
      // Infrastructure Manager has no rollback; these are never offered for a deployment.
      return {
        id,
        label: 'Roll back',
        description: `Infrastructure Manager cannot roll back ${deploymentName}: there is no rollback, only a new apply.`,
        destructive: false,
        restartsDeployment: false,
      };
  }
}
