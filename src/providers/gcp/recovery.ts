/** The words shown for each way out of a stuck deployment. Every one needs consent. */
import * as l10n from '@vscode/l10n';
import type { RecoveryAction, RecoveryActionId } from '../provider';
import { describeHolder, unlockRisk, type HeldLock } from './locks';

/**
 * `lock`: the Terraform lock the deployment holds, with who holds it when that could be read
 * (`true`: held, holder unknown). Releasing it is part of Unlock and of a force delete, so both
 * say whose lock it is and what releasing it risks before anyone agrees.
 */
export function recoveryAction(id: RecoveryActionId, deploymentName: string, status: string, lock: HeldLock | boolean = false): RecoveryAction {
  const held: HeldLock | undefined = lock === true ? { state: 'LOCKED' } : lock || undefined;
  const holder = held?.facts ? l10n.t('It is {0}.', describeHolder(held.facts)) : l10n.t('Who holds it could not be read.');
  switch (id) {
    case 'unlock':
      return {
        id,
        label: l10n.t('Unlock and deploy'),
        description: held
          ? l10n.t('Release the Terraform lock on {0} ({1}), then deploy again. {2} {3}', deploymentName, status, holder, unlockRisk())
          : l10n.t('Release the Terraform lock on {0} ({1}), then deploy again. {2}', deploymentName, status, unlockRisk()),
        destructive: false,
        restartsDeployment: true,
      };
    case 'forceDelete':
    case 'delete':
      return {
        id,
        label: l10n.t('Delete and recreate'),
        description: held
          ? l10n.t(
              'Release the Terraform lock on {0} first, then delete the deployment {0} ({1}) with force: Terraform destroys every resource it manages and its revisions are removed. Then deploy again from scratch. {2} {3}',
              deploymentName,
              status,
              holder,
              unlockRisk(),
            )
          : l10n.t(
              'Delete the deployment {0} ({1}) with force: Terraform destroys every resource it manages and its revisions are removed. Then deploy again from scratch.',
              deploymentName,
              status,
            ),
        destructive: true,
        restartsDeployment: true,
      };
    case 'continueRollback':
    case 'rollback':
      // Infrastructure Manager has no rollback; these are never offered for a deployment.
      return {
        id,
        label: l10n.t('Roll back'),
        description: l10n.t('Infrastructure Manager cannot roll back {0}: there is no rollback, only a new apply.', deploymentName),
        destructive: false,
        restartsDeployment: false,
      };
  }
}
