/** The words shown for each way out of an unrecoverable stack. Every one needs consent. */
import * as l10n from '@vscode/l10n';
import type { RecoveryAction, RecoveryActionId } from '../provider';

export function recoveryAction(id: RecoveryActionId, stackName: string, status: string): RecoveryAction {
  switch (id) {
    case 'delete':
      return {
        id,
        label: l10n.t('Delete and recreate'),
        description:
          status === 'REVIEW_IN_PROGRESS'
            ? l10n.t('Delete the empty stack {0} (it was never executed and holds no resources), then deploy it again from scratch.', stackName)
            : l10n.t('Delete the stack {0} ({1}) and every resource it still holds, then deploy it again from scratch.', stackName, status),
        destructive: true,
        restartsDeployment: true,
      };
    case 'forceDelete':
      return {
        id,
        label: l10n.t('Force delete and recreate'),
        description: l10n.t(
          'Delete the stack {0} with FORCE_DELETE_STACK: resources that fail to delete are left behind in your account, unmanaged. Then deploy again from scratch.',
          stackName,
        ),
        destructive: true,
        restartsDeployment: true,
      };
    case 'continueRollback':
      return {
        id,
        label: l10n.t('Continue rollback'),
        description: l10n.t(
          'Ask CloudFormation to continue rolling {0} back to its last working state (ContinueUpdateRollback), then deploy the changes again.',
          stackName,
        ),
        destructive: false,
        restartsDeployment: true,
      };
    case 'unlock':
      // Never offered for a stack (statusTables lists no such action); kept total for the type.
      return {
        id,
        label: l10n.t('Unlock'),
        description: l10n.t('CloudFormation stacks have no lock; {0} ({1}) cannot be unlocked.', stackName, status),
        destructive: false,
        restartsDeployment: false,
      };
    case 'rollback':
      return {
        id,
        label: l10n.t('Roll back'),
        description: l10n.t('Roll {0} back to its last stable state (RollbackStack), then deploy again.', stackName),
        destructive: false,
        restartsDeployment: true,
      };
  }
}
