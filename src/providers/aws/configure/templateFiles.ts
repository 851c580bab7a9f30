/**
 * The workspace's CloudFormation and SAM templates, nearest first: what the first-run flow offers,
 * and whether a workspace holds any (asked before this provider's runtime is loaded, so it imports
 * no SDK and no template parser).
 */
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { looksLikeTemplate } from './stackDefaults';

/** Enough to offer a choice without walking a monorepo whole. */
const MAX_CANDIDATES = 200;

export async function findTemplates(folder: vscode.WorkspaceFolder): Promise<vscode.Uri[]> {
  // Loaded here, not at the top: the descriptors stay importable where no editor runs (unit tests, tools).
  const { RelativePattern, workspace } = await import('vscode');
  const found = await workspace.findFiles(
    new RelativePattern(folder, '**/*.{yaml,yml,json,template}'),
    '{**/node_modules/**,**/.git/**,**/.aws-sam/**,**/cdk.out/**,**/.vscode/**}',
    MAX_CANDIDATES,
  );
  const templates: vscode.Uri[] = [];
  for (const uri of found) {
    try {
      const text = new TextDecoder().decode((await workspace.fs.readFile(uri)).slice(0, 64_000));
      if (looksLikeTemplate(text)) templates.push(uri);
    } catch {
      // Unreadable: not a candidate.
    }
  }
  return templates.sort((a, b) => a.fsPath.split(path.sep).length - b.fsPath.split(path.sep).length || a.fsPath.localeCompare(b.fsPath));
}
