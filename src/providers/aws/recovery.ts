/** The words shown for each way out of an unrecoverable stack. Every one needs consent. */
import type { RecoveryAction, RecoveryActionId } from '../provider';

export function recoveryAction(id: RecoveryActionId, stackName: string, status: string): RecoveryAction {
  switch (id) {
    case 'delete':
      return {
        id,
        label: 'Delete and recreate',
        description:
          status === 'REVIEW_IN_PROGRESS'
            ? `Delete the empty stack ${stackName} (it was never executed and holds no resources), then deploy it again from scratch.`
            : `Delete the stack ${stackName} (${status}) and every resource it still holds, then deploy it again from scratch.`,
        destructive: true,
        restartsDeployment: true,
      };
    case 'forceDelete':
      return {
        id,
        label: 'Force delete and recreate',
        description: `Delete the stack ${stackName} with FORCE_DELETE_STACK: resources that fail to delete are left behind in your account, unmanaged. Then deploy again from scratch.`,
        destructive: true,
        restartsDeployment: true,
      };
    case 'continueRollback':
      return {
        id,
        label: 'Continue rollback',
        description: `Ask CloudFormation to continue rolling ${stackName} back to its last working state (ContinueUpdateRollback), then deploy the changes again.`,
        destructive: false,
        restartsDeployment: true,
      };
    case 'unlock':
      // Never offered for a stack (statusTables lists no such action); kept total for the type.
      return {
        id,
        label: 'Unlock',
        description: `CloudFormation stacks have no lock; ${stackName} (${status}) cannot be unlocked.`,
        destructive: false,
        restartsDeployment: false,
      };
    case 'rollback':
      return {
        id,
        label: 'Roll back',
        description: `Roll ${stackName} back to its last stable state (RollbackStack), then deploy again.`,
        destructive: false,
        restartsDeployment: true,
      };
  }
}
