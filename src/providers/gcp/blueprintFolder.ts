/**
 * The blueprint folder's files, checked the one way both the input step (before anything is
 * uploaded) and staging (re-zipping a checked blueprint after a reload) read them: a folder
 * that is not a Terraform root module is an InputError naming the setting to fix.
 */
import * as l10n from '@vscode/l10n';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError, isInputError } from '../../input/inputError';
import { BlueprintFileError, listBlueprintFiles, problemReason, rootTerraformFiles, type BlueprintFile } from './blueprintFiles';
import { GCP_SETTING_KEYS } from './settings';

export interface BlueprintFolderOptions {
  /** The workspace folder the blueprint must stay inside (links out of it are refused). */
  workspaceFolder?: string;
  /** How messages name files (e.g. workspace-relative); defaults to the file name. */
  displayPath?: (absPath: string) => string;
}

export async function readBlueprintFolder(folder: string, options: BlueprintFolderOptions = {}): Promise<BlueprintFile[]> {
  const displayPath = options.displayPath ?? basename;
  const shown = displayPath(folder);
  const where = { setting: GCP_SETTING_KEYS.blueprintFolder };
  try {
    const info = await stat(folder);
    if (!info.isDirectory())
      throw new InputError(
        l10n.t('The blueprint {0} is a file; {1} must name the folder of the Terraform root module.', shown, GCP_SETTING_KEYS.blueprintFolder),
        {
          ...where,
          hint: l10n.t('Point it at the folder that holds main.tf.'),
        },
      );
  } catch (error) {
    if (isInputError(error)) throw error;
    throw new InputError(l10n.t('The blueprint folder {0} does not exist.', shown), {
      ...where,
      hint: l10n.t('Check {0}; it is resolved against the workspace folder.', GCP_SETTING_KEYS.blueprintFolder),
      cause: error,
    });
  }
  let files: BlueprintFile[];
  try {
    files = await listBlueprintFiles(folder, { workspaceFolder: options.workspaceFolder });
  } catch (error) {
    if (!(error instanceof BlueprintFileError)) throw error;
    throw new InputError(problemReason(error.problem, displayPath), {
      ...where,
      file: error.file,
      displayFile: displayPath(error.file),
      hint: error.hint,
      cause: error,
    });
  }
  if (files.length === 0) {
    throw new InputError(l10n.t('The blueprint folder {0} is empty.', shown), {
      ...where,
      hint: l10n.t('Add the Terraform files of the root module (main.tf, variables.tf, …).'),
    });
  }
  if (rootTerraformFiles(files).length === 0) {
    throw new InputError(
      files.length === 1
        ? l10n.t('The blueprint folder {0} has no .tf files at its top level (found 1 other file).', shown)
        : l10n.t('The blueprint folder {0} has no .tf files at its top level (found {1} other files).', shown, files.length),
      {
        ...where,
        hint: l10n.t('Infrastructure Manager applies the root module: the .tf files must be directly in this folder.'),
      },
    );
  }
  return files;
}
