/**
 * The machine's `preflight` step, Sigma's "commit → build → deploy": settle unsaved files that
 * the deployment reads, then run the configured build task when its inputs changed since its
 * last successful run.
 */
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

const SAVE_ALL = 'Save All and Deploy';
const DEPLOY_SAVED = 'Deploy Saved Versions';

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
  const choice = await vscode.window.showWarningMessage(
    `${dirty.length} unsaved file${dirty.length === 1 ? '' : 's'} in ${folder.name} affect${dirty.length === 1 ? 's' : ''} this deployment.`,
    { modal: true, detail: `${names.join('\n')}\n\nThe deployment reads files from disk.` },
    SAVE_ALL,
    DEPLOY_SAVED,
  );
  if (choice === DEPLOY_SAVED) return;
  if (choice !== SAVE_ALL)
    throw new PreflightError(`Deployment cancelled: ${names.join(', ')} ${dirty.length === 1 ? 'has' : 'have'} unsaved changes.`, undefined, true);
  const results = await Promise.all(dirty.map((d) => d.save()));
  const failed = names.filter((_, i) => !results[i]);
  if (failed.length > 0) throw new PreflightError(`Could not save ${failed.join(', ')}; nothing was deployed.`);
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
      log.info(`Build task "${buildTask}" is up to date; skipping it.`);
      return;
    }
    log.info(`Build task "${buildTask}" runs: ${scan.truncated ? 'too many files to check' : `${vscode.workspace.asRelativePath(scan.file ?? '')} changed`}.`);
  }
  const tasks = await vscode.tasks.fetchTasks();
  const task = tasks.find((t) => t.name === buildTask || `${t.source}: ${t.name}` === buildTask);
  if (!task) {
    throw new PreflightError(
      `The build task "${buildTask}" named in ${SETTING_KEYS.buildTask} does not exist. Define it in .vscode/tasks.json or clear the setting.`,
      SETTING_KEYS.buildTask,
    );
  }
  const exitCode = await runTask(task, signal);
  if (signal.aborted) return;
  if (exitCode !== 0) {
    throw new PreflightError(
      `The build task "${buildTask}" failed${exitCode === undefined ? '' : ` with exit code ${exitCode}`}; nothing was deployed. See the task's terminal.`,
      SETTING_KEYS.buildTask,
    );
  }
  // The end time, so files the build itself wrote don't count as new inputs next time.
  await state.update(key, Date.now());
  log.info(`Build task "${buildTask}" succeeded.`);
}

/** A task with no process of its own (compound `dependsOn`, custom execution) ends without an exit code. */
const PROCESS_END_GRACE_MS = 1_000;

function runTask(task: vscode.Task, signal: AbortSignal): Promise<number | undefined> {
  if (task.isBackground) {
    return Promise.reject(
      new PreflightError(
        `The build task "${task.name}" is a background task that never ends; ${SETTING_KEYS.buildTask} needs a task that finishes.`,
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
        reject(new PreflightError(`The build task "${task.name}" could not start: ${error instanceof Error ? error.message : String(error)}`));
      },
    );
  });
}
