/**
 * Where an input error points (a file, a line, a column) in VS Code's terms, and the one way to
 * go there: the monitor's link and the error notification's button both open it here.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ErrorInfo } from '../deployment/errorInfo';

export type ErrorLocation = Pick<ErrorInfo, 'file' | 'line' | 'column'>;

/** The error's file; a relative path is taken against the workspace folder (none without one). */
export function errorFileUri(error: ErrorLocation, workspaceFolder?: vscode.Uri): vscode.Uri | undefined {
  if (!error.file) return undefined;
  if (path.isAbsolute(error.file)) return vscode.Uri.file(error.file);
  return workspaceFolder ? vscode.Uri.file(path.join(workspaceFolder.fsPath, error.file)) : undefined;
}

/**
 * 1-based line and column in. The character the column points at (a zero-width range would
 * underline nothing on a bracket), else the whole line; VS Code clamps the end to the line.
 */
export function lineRange(line: number, column: number | undefined): vscode.Range {
  const row = Math.max(0, line - 1);
  if (column === undefined) return new vscode.Range(row, 0, row, 10_000);
  const start = Math.max(0, column - 1);
  return new vscode.Range(row, start, row, start + 1);
}

/** Opens the error's file with the cursor where it points; nothing when it names no file. */
export async function openErrorLocation(error: ErrorLocation, workspaceFolder?: vscode.Uri): Promise<void> {
  const file = errorFileUri(error, workspaceFolder);
  if (!file) return;
  const range = error.line !== undefined ? lineRange(error.line, error.column) : undefined;
  await vscode.window.showTextDocument(file, range ? { selection: new vscode.Range(range.start, range.start) } : {});
}
