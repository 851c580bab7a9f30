/**
 * Stackwatch speaks English from its source: every user-facing string is an `l10n.t('…')` call.
 * When VS Code runs in another display language and Stackwatch ships a bundle for it
 * (`l10n/bundle.l10n.<locale>.json`), VS Code hands that bundle to the extension, and it is given
 * here to `@vscode/l10n`. Each bundle that carries its own copy of `@vscode/l10n` (the extension,
 * each provider's bundle, the webview) is handed the same strings, so one language reaches every
 * sentence.
 */
import * as l10n from '@vscode/l10n';

/** A bundle's contents: English source string (with its comment, when it has one) → translation. */
export type Translations = Readonly<Record<string, string>>;

let active: Translations | undefined;

/** Use these translations from now on; undefined (VS Code in English) keeps the source strings. */
export function useTranslations(translations: Translations | undefined): void {
  active = translations;
  l10n.config({ contents: translations ?? {} });
}

/** The translations in use, to hand to a bundle or page with its own copy of `@vscode/l10n`. */
export function activeTranslations(): Translations | undefined {
  return active;
}
