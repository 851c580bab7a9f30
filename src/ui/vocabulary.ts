/**
 * The words the monitor, status bar and notifications use for a deployment: each provider's
 * descriptor supplies its own (its users' names for the target, what was staged, and Stop).
 */
import type { ProviderKind } from '../providers/provider';
import { descriptorOf } from '../providers/registry';
import type { Vocabulary } from '../shared/vocabulary';

export function vocabularyOf(provider: ProviderKind): Vocabulary {
  return descriptorOf(provider).words;
}
