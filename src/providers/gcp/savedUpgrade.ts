/**
 * Snapshots saved before version 3 told a cancelled apply apart from a failed one only by
 * Google's own status: the operation state was 'failed' with providerStatus CANCELLED, and so
 * was the deployment's target event. Today the port says 'cancelled'. Without this, a Cancel
 * restored after an upgrade (while finishing or cleaning up) would end as a failure whose root
 * cause is the cancel itself.
 */
import type { DeploymentContext } from '../../deployment/machine';

const CANCELLED = 'CANCELLED';

export function upgradeSavedGcp(context: DeploymentContext, savedVersion: number): DeploymentContext {
  if (savedVersion >= 3) return context;
  const cancelled = context.phase === 'failed' && context.providerStatus === CANCELLED;
  const events = context.events.map((event) =>
    event.status === 'failed' && event.providerStatus === CANCELLED ? { ...event, status: 'cancelled' as const } : event,
  );
  return { ...context, ...(cancelled ? { phase: 'cancelled' as const } : {}), events };
}
