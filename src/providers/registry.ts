/**
 * The providers Stackwatch knows, by kind (as GitLens' gitProviderService registers its
 * providers by id). Core code asks here for a provider's descriptor instead of naming one; adding
 * a provider means adding its descriptor to the list below, and nothing outside src/providers.
 */
import * as l10n from '@vscode/l10n';
import { activeTranslations } from '../shared/translations';
import type { StackSettings } from '../config/stackSettings';
import { awsDescriptor } from './aws/descriptor';
import type { ProviderDescriptor, ProviderRuntime } from './descriptor';
import { gcpDescriptor } from './gcp/descriptor';
import type { ProviderKind } from './provider';

/** The first one is the default when no provider is set. */
const DESCRIPTORS: readonly ProviderDescriptor[] = [awsDescriptor, gcpDescriptor];

const BY_KIND = new Map<string, ProviderDescriptor>(DESCRIPTORS.map((d) => [d.kind, d]));

const runtimes = new Map<ProviderKind, Promise<ProviderRuntime>>();

export function knownKinds(): ProviderKind[] {
  return DESCRIPTORS.map((d) => d.kind);
}

/** The provider a workspace deploys with when its settings name none. */
export function defaultKind(): ProviderKind {
  return DESCRIPTORS[0].kind;
}

export function isKnownKind(value: unknown): value is ProviderKind {
  return typeof value === 'string' && BY_KIND.has(value);
}

export function descriptorOf(kind: ProviderKind): ProviderDescriptor {
  const found = BY_KIND.get(kind);
  // Translated: should a kind no descriptor has reach here (a saved snapshot, say), the message is shown.
  if (!found) throw new Error(l10n.t('No provider is registered for {0}.', JSON.stringify(kind)));
  return found;
}

/** The descriptor that reads and runs these settings (the one that read them). */
export function descriptorFor(settings: StackSettings): ProviderDescriptor {
  return descriptorOf(settings.provider);
}

export function allDescriptors(): readonly ProviderDescriptor[] {
  return DESCRIPTORS;
}

/** The provider's heavy half, loaded once (its own bundle), on the first deployment or configure that needs it. */
export function loadRuntime(kind: ProviderKind): Promise<ProviderRuntime> {
  let loading = runtimes.get(kind);
  if (!loading) {
    loading = descriptorOf(kind)
      .loadRuntime()
      .then((runtime) => {
        runtime.useTranslations(activeTranslations());
        return runtime;
      });
    // A failed load (a missing bundle) is tried again next time rather than remembered.
    loading.catch(() => runtimes.delete(kind));
    runtimes.set(kind, loading);
  }
  return loading;
}
