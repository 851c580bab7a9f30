/**
 * Places in a deployment's template, in VS Code's terms: the provider runtime's locate bound to
 * the session's own template and workspace folder, the file a location names, and the one way to
 * open it there (the monitor's rows and findings, and the Problems panel, all land the same way).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DeploymentContext } from '../deployment/machine';
import type { InputLocation, InputPointer } from '../providers/descriptor';
import type { ProviderKind, TemplateSource } from '../providers/provider';
import { loadRuntime } from '../providers/registry';
import type { Locate } from './diagnosticPlacement';

/** The deployment's own template on disk: its workspace-relative path taken against the folder. */
export function templateFile(context: Pick<DeploymentContext, 'initialized'>, workspaceFolder: string | undefined): string | undefined {
  return fileOfTemplate(context.initialized?.template, workspaceFolder);
}

/** A template's file on disk, from the path the template step named it by. */
export function fileOfTemplate(template: Pick<TemplateSource, 'path' | 'format'> | undefined, workspaceFolder: string | undefined): string | undefined {
  if (!template || template.format === 'folder') return undefined;
  if (path.isAbsolute(template.path)) return template.path;
  return workspaceFolder === undefined ? undefined : path.join(workspaceFolder, template.path);
}

/** The file a location is in: its own, or the deployment's template. */
export function locationFile(
  location: InputLocation | undefined,
  context: Pick<DeploymentContext, 'initialized'>,
  workspaceFolder: string | undefined,
): string | undefined {
  return location?.file ?? templateFile(context, workspaceFolder);
}

/** The runtime's locate over this deployment's template; undefined when the provider cannot place pointers. */
export async function locatorFor(context: Pick<DeploymentContext, 'initialized' | 'target'>, workspaceFolder: string | undefined): Promise<Locate | undefined> {
  return locatorOver(context.target.provider, context.initialized?.template, workspaceFolder);
}

/** The provider runtime's locate over a template's text. */
export async function locatorOver(
  provider: ProviderKind,
  template: TemplateSource | undefined,
  workspaceFolder: string | undefined,
): Promise<Locate | undefined> {
  // Deployments run from a workspace folder; without one there is no file to point into.
  if (!template || workspaceFolder === undefined) return undefined;
  const runtime = await loadRuntime(provider);
  const locate = runtime.locate?.bind(runtime);
  if (!locate) return undefined;
  return (pointer: InputPointer) => locate(template, pointer, { workspaceFolder });
}

/** 1-based line and column in; from the column to the end of the line (VS Code clamps the end). */
export function rangeAt(location: InputLocation | undefined): vscode.Range {
  if (!location) return new vscode.Range(0, 0, 0, 0);
  const row = Math.max(0, location.line - 1);
  return new vscode.Range(row, Math.max(0, (location.column ?? 1) - 1), row, 10_000);
}

/** Opens the file at the place; false when there is no file to open. */
export async function openAt(file: string | undefined, location: InputLocation | undefined): Promise<boolean> {
  if (!file) return false;
  const start = rangeAt(location).start;
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(start, start), preview: false });
  return true;
}
