/**
 * What every deployment needs to know, whatever the provider, as plain data. Each provider's
 * settings extend this with its own fields (its descriptor reads them); core code only reads
 * these, and hands the whole object back to the provider's descriptor for the rest.
 */
import type { ProviderKind } from '../providers/provider';

export interface StackSettings {
  /** Which provider's descriptor reads and runs the rest of these settings. */
  provider: ProviderKind;
  autoExecute: boolean;
  /**
   * Lets auto-execute run changes that replace or delete a data store, or whose deletion policy
   * deletes or replaces a resource. Off (and absent, as in settings built by tests or tools):
   * such changes always wait for review. The settings reader always sets it.
   */
  autoExecuteDestructive?: boolean;
}
