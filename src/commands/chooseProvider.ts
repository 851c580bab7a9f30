/**
 * Which provider's configure flow runs: the one the settings name, else the only one whose input
 * the workspace holds, else the person's choice. Pure: the UI is a Prompter.
 */
import * as l10n from '@vscode/l10n';
import type { ProviderKind } from '../providers/provider';
import { allDescriptors } from '../providers/registry';
import type { Prompter } from './prompter';

/** The configured provider, else the one provider whose input the workspace holds; 'ask' when several or none do. */
export function chooseFlow(configured: ProviderKind | undefined, holdingInput: readonly ProviderKind[]): ProviderKind | 'ask' {
  if (configured) return configured;
  return holdingInput.length === 1 ? holdingInput[0] : 'ask';
}

/** Asks which provider the workspace deploys with; undefined when the person cancelled. */
export async function askProvider(prompter: Prompter): Promise<ProviderKind | undefined> {
  const descriptors = allDescriptors();
  const choices = new Map(descriptors.map((d) => [d.words.service, d.kind]));
  const picked = await prompter.pick({
    title: l10n.t('Stackwatch: Where does this workspace deploy?'),
    placeholder: l10n.t('The provider decides what the next steps ask for'),
    items: descriptors.map((d) => ({ value: d.words.service, description: d.input.description })),
    allowTyped: false,
    validate: (value) =>
      choices.has(value) ? undefined : descriptors.length === 2 ? l10n.t('Pick one of the two.') : l10n.t('Pick one of the {0}.', descriptors.length),
  });
  return picked === undefined ? undefined : choices.get(picked);
}
