/**
 * The blueprint a preview plans: the folder's files and variables, the zip initialize checked
 * (never the folder as it is now), and the digest that says which zip and inputs a plan applies.
 */
import { createHash } from 'node:crypto';
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { isInputError } from '../../input/inputError';
import { ProviderError, type StageRequest } from '../provider';
import type { BlueprintVariable } from './blueprint';
import type { BlueprintFile } from './blueprintFiles';
import { readBlueprintFolder } from './blueprintFolder';
import { checkBlueprintFiles, checkedBlueprints, digestOf, type CheckedBlueprint } from './checkedBlueprints';
import { DIGEST_ANNOTATION } from './applyMarks';
import { toInputValues } from './inputs';
import type { StagedRef } from './names';
import type { GcpProviderSettings } from './settings';

/**
 * The blueprint folder's files as they are now, checked as the input step checks them (one set of
 * checks, one wording); a folder that is no longer a blueprint is a Validation error.
 */
async function blueprintFilesNow(settings: GcpProviderSettings): Promise<BlueprintFile[]> {
  const folder = settings.blueprintFolder;
  try {
    return await readBlueprintFolder(folder, { workspaceFolder: settings.workspaceFolder });
  } catch (cause) {
    if (isInputError(cause)) throw new ProviderError('Validation', cause.message, { cause, hint: cause.hint });
    throw new ProviderError(
      'Validation',
      l10n.t('The blueprint folder {0} cannot be read ({1}).', folder, (cause as NodeJS.ErrnoException).code ?? String(cause)),
      {
        cause,
      },
    );
  }
}

/**
 * The zip initialize checked, found by the digest its manifest names. Not kept any more (a
 * reload, or evicted): the folder is zipped again and used only when it is the same zip, so a
 * blueprint edited after the check is never what gets uploaded.
 */
export async function checkedBlueprint(settings: GcpProviderSettings, template: StageRequest['template'], signal: AbortSignal): Promise<CheckedBlueprint> {
  const digest = digestOf(template.body);
  if (!digest) {
    throw new ProviderError(
      'Validation',
      l10n.t('The blueprint {0} was not checked before staging (its manifest names no checked zip); nothing was uploaded.', template.path),
      {
        hint: l10n.t('Deploy again: Stackwatch checks the blueprint folder first.'),
        providerCode: 'BLUEPRINT_NOT_CHECKED',
      },
    );
  }
  const kept = checkedBlueprints.get(digest);
  if (kept) return kept;
  const now = await checkBlueprintFiles(await blueprintFilesNow(settings));
  signal.throwIfAborted();
  if (now.sha256 !== digest) {
    throw new ProviderError(
      'Validation',
      l10n.t('The blueprint {0} changed since it was checked (its files are not the ones checked and shown); nothing was uploaded.', template.path),
      {
        hint: l10n.t('Deploy again: Stackwatch checks and previews the blueprint as it is now.'),
        providerCode: 'BLUEPRINT_CHANGED',
      },
    );
  }
  checkedBlueprints.put(now);
  return now;
}

/**
 * The checked zip an adopted preview planned, when its digest annotation (zip and inputs)
 * says it is the one this template names; otherwise unknown (inputs are then all masked).
 */
export function adoptedZip(preview: config_v1.Schema$Preview, req: StageRequest): CheckedBlueprint | undefined {
  const digest = digestOf(req.template.body);
  const kept = digest ? checkedBlueprints.get(digest) : undefined;
  const planned = preview.annotations?.[DIGEST_ANNOTATION];
  if (!kept || !planned) return undefined;
  return planned === blueprintDigest(kept.zip, toInputValues(kept.variables, req.parameters), kept.variables) ? kept : undefined;
}

/**
 * The variables of the zip this preview planned (the checked one), not of the folder as it is
 * now. Undefined when that zip is not known any more (adopted from an earlier call, or edited
 * since): which inputs are sensitive is then unknown, so the saved plan masks them all.
 */
export async function blueprintVariables(settings: GcpProviderSettings, ref: StagedRef): Promise<BlueprintVariable[] | undefined> {
  if (!ref.zip) return undefined;
  const kept = checkedBlueprints.get(ref.zip);
  if (kept) return kept.variables;
  try {
    const now = await checkBlueprintFiles(await blueprintFilesNow(settings));
    if (now.sha256 !== ref.zip) return undefined;
    checkedBlueprints.put(now);
    return now.variables;
  } catch {
    return undefined;
  }
}

/**
 * What a plan applies, as one value, so "no resource changes" can be told from "same blueprint and
 * inputs". None when an input is sensitive: a hash of a short secret in an annotation can be guessed back.
 */
export function blueprintDigest(zip: Uint8Array, inputValues: Record<string, unknown>, variables: readonly BlueprintVariable[]): string | undefined {
  if (variables.some((v) => v.sensitive && v.name in inputValues)) return undefined;
  const inputs = JSON.stringify(
    Object.keys(inputValues)
      .sort()
      .map((k) => [k, inputValues[k]]),
  );
  return createHash('sha256').update(zip).update('\0').update(inputs).digest('hex');
}
