/**
 * The machine's `preflight` step, Sigma's "commit → build → deploy": settle unsaved files that
 * the deployment reads, then run the configured build task when its inputs changed since its
 * last successful run.
 */
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { SETTING_KEYS } from '../commands/ids';
import { changedSince } from './changedSince';
import { PreflightError } from './preflightError';
import { touchesDeployment, type DeploymentFiles } from './relevance';

export interface PreflightOptions {
  folder: vscode.WorkspaceFolder;
  files: DeploymentFiles;
  /** `stackwatch.buildTask`; empty means no build. */
  buildTask: string;
  state: vscode.Memento;
  log: vscode.LogOutputChannel;
}

export function createPreflight(options: PreflightOptions): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    await settleUnsavedFiles(options);
    if (signal.aborted) return;
    if (options.buildTask) await buildIfStale(options, signal);
  };
}

async function settleUnsavedFiles({ files, folder }: PreflightOptions): Promise<void> {
  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file' && touchesDeployment(d.uri.fsPath, files));
  if (dirty.length === 0) return;
  const names = dirty.map((d) => vscode.workspace.asRelativePath(d.uri, false));
  const saveAll = l10n.t('Save All and Deploy');
  const deploySaved = l10n.t('Deploy Saved Versions');
  const choice = await vscode.window.showWarningMessage(
    dirty.length === 1
      ? l10n.t('1 unsaved file in {0} affects this deployment.', folder.name)
      : l10n.t('{0} unsaved files in {1} affect this deployment.', dirty.length, folder.name),
    { modal: true, detail: l10n.t('{0}\n\nThe deployment reads files from disk.', names.join('\n')) },
    saveAll,
    deploySaved,
  );
  if (choice === deploySaved) return;
  if (choice !== saveAll) {
    const message =
      dirty.length === 1
        ? l10n.t('Deployment cancelled: {0} has unsaved changes.', names.join(', '))
        : l10n.t('Deployment cancelled: {0} have unsaved changes.', names.join(', '));
    throw new PreflightError(message, undefined, true);
  }
  const results = await Promise.all(dirty.map((d) => d.save()));
  const failed = names.filter((_, i) => !results[i]);
  if (failed.length > 0) throw new PreflightError(l10n.t('Could not save {0}; nothing was deployed.', failed.join(', ')));
}

function lastSuccessKey(folder: vscode.WorkspaceFolder, task: string): string {
  return `buildTask:${folder.uri.toString()}:${task}`;
}

async function buildIfStale({ folder, buildTask, state, log }: PreflightOptions, signal: AbortSignal): Promise<void> {
  const key = lastSuccessKey(folder, buildTask);
  const lastSuccess = state.get<number>(key);
  if (lastSuccess !== undefined) {
    const scan = await changedSince(folder.uri.fsPath, lastSuccess);
    if (!scan.changed) {
      log.info(l10n.t('Build task "{0}" is up to date; skipping it.', buildTask));
      return;
    }
    log.info(
      scan.truncated
        ? l10n.t('Build task "{0}" runs: too many files to check.', buildTask)
        : l10n.t('Build task "{0}" runs: {1} changed.', buildTask, vscode.workspace.asRelativePath(scan.file ?? '')),
    );
  }
  const tasks = await vscode.tasks.fetchTasks();
  const task = tasks.find((t) => t.name === buildTask || `${t.source}: ${t.name}` === buildTask);
  if (!task) {
    throw new PreflightError(
      l10n.t('The build task "{0}" named in {1} does not exist. Define it in .vscode/tasks.json or clear the setting.', buildTask, SETTING_KEYS.buildTask),
      SETTING_KEYS.buildTask,
    );
  }
  const exitCode = await runTask(task, signal);
  if (signal.aborted) return;
  if (exitCode !== 0) {
    throw new PreflightError(
      exitCode === undefined
        ? l10n.t('The build task "{0}" failed; nothing was deployed. See the task\'s terminal.', buildTask)
        : l10n.t('The build task "{0}" failed with exit code {1}; nothing was deployed. See the task\'s terminal.', buildTask, exitCode),
      SETTING_KEYS.buildTask,
    );
  }
  // The end time, so files the build itself wrote don't count as new inputs next time.
  await state.update(key, Date.now());
  log.info(l10n.t('Build task "{0}" succeeded.', buildTask));
}

/** A task with no process of its own (compound `dependsOn`, custom execution) ends without an exit code. */
const PROCESS_END_GRACE_MS = 1_000;

function runTask(task: vscode.Task, signal: AbortSignal): Promise<number | undefined> {
  if (task.isBackground) {
    return Promise.reject(
      new PreflightError(
        l10n.t('The build task "{0}" is a background task that never ends; {1} needs a task that finishes.', task.name, SETTING_KEYS.buildTask),
        SETTING_KEYS.buildTask,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    let execution: vscode.TaskExecution | undefined;
    let settled = false;
    const finish = (code: number | undefined) => {
      if (settled) return;
      settled = true;
      processEnded.dispose();
      taskEnded.dispose();
      resolve(code);
    };
    // A quick task can end before executeTask's promise hands us its execution.
    const isOurs = (ended: vscode.TaskExecution) => (execution ? ended === execution : ended.task.name === task.name && ended.task.source === task.source);
    const processEnded = vscode.tasks.onDidEndTaskProcess((e) => {
      if (isOurs(e.execution)) finish(e.exitCode);
    });
    const taskEnded = vscode.tasks.onDidEndTask((e) => {
      if (isOurs(e.execution)) setTimeout(() => finish(0), PROCESS_END_GRACE_MS);
    });
    // Abort (the deployment was cancelled) ends the build too.
    signal.addEventListener('abort', () => execution?.terminate(), { once: true });
    vscode.tasks.executeTask(task).then(
      (started) => {
        execution = started;
        if (signal.aborted) started.terminate();
      },
      (error: unknown) => {
        settled = true;
        processEnded.dispose();
        taskEnded.dispose();
        reject(new PreflightError(l10n.t('The build task "{0}" could not start: {1}', task.name, error instanceof Error ? error.message : String(error))));
      },
    );
  });
}
