/**
 * Cancel is a request, not a command. google.longrunning's CancelOperation "makes a best effort to
 * cancel the operation, but success is not guaranteed. If the server doesn't support this method,
 * it returns google.rpc.Code.UNIMPLEMENTED", and clients are told to read the operation to see
 * "whether the cancellation succeeded or whether the operation completed despite cancellation"
 * (google/longrunning/operations.proto). So a refused cancel is news, an accepted one is only
 * "requested", and how the apply ended is whatever the operation says at the end.
 */
import * as l10n from '@vscode/l10n';
import { ProviderError } from '../provider';

/**
 * The error stop() leaves with when the service answered the cancel with a refusal: the machine
 * shows it as a notice and keeps monitoring. Undefined for an error that says nothing definite
 * (a timeout, a reset): that cancel may have landed, and the machine asks again.
 */
export function cancelRefusal(error: unknown, deploymentName: string): ProviderError | undefined {
  if (!isServiceRefusal(error)) return undefined;
  const code = error.details.providerCode ?? error.code;
  return new ProviderError(
    error.code,
    l10n.t(
      "Infrastructure Manager did not accept the cancel of {0}'s apply ({1}: {2}); the apply goes on, and Stackwatch keeps monitoring it until Infrastructure Manager says it ended.",
      deploymentName,
      code,
      error.message,
    ),
    { cause: error, hint: l10n.t('Let the apply end, or cancel it in the Cloud console if it offers that.'), providerCode: code },
  );
}

/**
 * An answer from the service that says no. Errors made here (no credentials, an endpoint that may
 * not get them) never reached it and keep their own words; a timeout or reset says nothing.
 */
function isServiceRefusal(error: unknown): error is ProviderError {
  if (!(error instanceof ProviderError) || error.details.cause === undefined) return false;
  if (REFUSALS.has(error.code)) return true;
  return error.code === 'Credentials' && error.details.providerCode === 'PERMISSION_DENIED';
}

const REFUSALS: ReadonlySet<ProviderError['code']> = new Set(['Unsupported', 'Validation', 'Conflict', 'NotFound']);

/** What the person hears while an accepted cancel has not ended the apply yet. */
export function cancelWaiting(): string {
  return l10n.t(
    'Cancel requested. Infrastructure Manager took the request, but cancelling is best effort: the apply may still run to the end, or fail. The monitor says how it really ended once it does.',
  );
}

/**
 * How the apply ended after a cancel was requested, when that is not "cancelled" (an Operation
 * error with code 1): the cancel did not stop it. Undefined when it was cancelled or is not over.
 */
export function cancelAftermath(ended: 'succeeded' | 'failed' | 'cancelled' | undefined): string | undefined {
  if (ended === 'succeeded')
    return l10n.t('The cancel did not stop the apply: Infrastructure Manager ran it to the end, and it succeeded. Everything in it was applied.');
  if (ended === 'failed')
    return l10n.t(
      'The cancel did not stop the apply: it ended by failing on its own (see the error), not by the cancel. What it applied before the failure stays applied.',
    );
  return undefined;
}
