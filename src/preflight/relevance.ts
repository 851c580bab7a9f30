/**
 * Which files a deployment depends on. Pure path logic, shared by the unsaved-files check and the
 * build-staleness scan. Configuration (.vscode/) never counts: settings are read before the
 * deployment starts, so a settings-only change goes straight on without saving or building.
 */
import * as path from 'node:path';
import { isInside } from '../input/workspaceBoundary';

export interface DeploymentFiles {
  templatePath: string;
  parametersFile?: string;
  /** The folder whose files the deployment reads; defaults to the template's folder (code it packages). */
  folder?: string;
}

/** Folders whose contents are never inputs of a deployment or a build. */
export const IGNORED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git', '.vscode', '.aws-sam', 'dist', 'out', 'cdk.out']);

function inIgnoredFolder(root: string, file: string): boolean {
  return path
    .relative(root, file)
    .split(path.sep)
    .slice(0, -1)
    .some((part) => IGNORED_FOLDERS.has(part));
}

/** The template, its parameters file, or anything under the template's folder (code it packages). */
export function touchesDeployment(file: string, files: DeploymentFiles): boolean {
  const resolved = path.resolve(file);
  if (resolved === path.resolve(files.templatePath)) return true;
  if (files.parametersFile && resolved === path.resolve(files.parametersFile)) return true;
  const folder = path.resolve(files.folder ?? path.dirname(files.templatePath));
  return isInside(folder, resolved) && !inIgnoredFolder(folder, resolved);
}
