/**
 * The plans the person reviewed in this window: the preview's exported Terraform JSON plan, masked
 * (planExport.ts), as Save Plan writes it.
 *
 * Infrastructure Manager deletes a deployment's previews as soon as the deployment is updated
 * (https://cloud.google.com/infrastructure-manager/docs/delete-preview), so after our own apply
 * the preview cannot be read again; Save Plan still owes the person the plan they reviewed. Only
 * masked documents are kept, in memory, a bounded number of them; nothing is persisted.
 */
import * as l10n from '@vscode/l10n';
import { ProviderError } from '../provider';

/** Plans kept per provider: one per staging attempt, and a window runs few of them. */
const KEPT_PLANS = 20;

export class ReviewedPlans {
  private readonly plans = new Map<string, string>();

  constructor(private readonly limit = KEPT_PLANS) {}

  /** `preview` is the preview's resource name; `document` is already masked (planExport). */
  remember(preview: string, document: string): void {
    this.plans.delete(preview);
    this.plans.set(preview, document);
    for (const oldest of this.plans.keys()) {
      if (this.plans.size <= this.limit) break;
      this.plans.delete(oldest);
    }
  }

  recall(preview: string): string | undefined {
    return this.plans.get(preview);
  }

  clear(): void {
    this.plans.clear();
  }
}

/**
 * The preview is gone and this window never read its plan (e.g. after a reload). `applied` says
 * whether the deployment now runs this attempt's blueprint: then we know why it went. Otherwise
 * (someone else's update or delete, or a read that failed) only the service's rule is told.
 */
export function planGoneError(deploymentName: string, applied: boolean): ProviderError {
  const hint = l10n.t(
    'Stackwatch keeps a reviewed plan only in the window that reviewed it. The applied revision and its resources are listed in the Cloud console under Infrastructure Manager.',
  );
  const message = applied
    ? l10n.t('Infrastructure Manager deleted the preview of {0} when the deployment was applied, so the plan can no longer be fetched.', deploymentName)
    : l10n.t(
        "The preview of {0} no longer exists, so its plan can no longer be fetched: Infrastructure Manager deletes a deployment's previews when the deployment is applied, updated or deleted.",
        deploymentName,
      );
  return new ProviderError('NotFound', message, { hint, providerCode: 'PREVIEW_GONE' });
}
