/**
 * Runs cfn-lint when it is installed. It catches most of what CloudFormation would reject
 * minutes later (bad property names, wrong types), with lines, in about two to four seconds: it
 * runs beside staging (lintCheck.ts), never before it.
 */
import { spawn } from 'node:child_process';
import { basename, dirname } from 'node:path';
import * as l10n from '@vscode/l10n';

export interface LintFinding {
  /** e.g. E3002. */
  rule: string;
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface LintResult {
  /** False when cfn-lint is not installed; nothing was checked. */
  available: boolean;
  errors: LintFinding[];
  warnings: LintFinding[];
  /** Set when cfn-lint ran but its result could not be read; the template was not checked. */
  note?: string;
  /** It did not finish within its time (the note says so). */
  timedOut?: boolean;
}

export interface LintOptions {
  /** Defaults to `cfn-lint` on PATH. */
  executable?: string;
  timeoutMs?: number;
  /** How messages name the template; defaults to its file name. */
  displayPath?: string;
  /**
   * Lint this text (given on stdin) instead of the file, still from the template's folder so a
   * project .cfnlintrc applies: for a file edited since it was staged. cfn-lint then cannot
   * compare nested stacks' parameters (it has no file to resolve their paths against).
   */
  text?: string;
}

/** What every run passes besides the template: part of the cache key (lintCache.ts). */
export const CFN_LINT_ARGS = ['--format', 'json', '--ignore-checks', 'W3002'] as const;

export const CFN_LINT_TIMEOUT_MS = 60_000;
/** Exit status a shell or pyenv shim uses for "command not found". */
const COMMAND_NOT_FOUND = 127;
const MAX_STDERR_CHARS = 8_000;

interface RawFinding {
  Level?: unknown;
  Message?: unknown;
  Rule?: { Id?: unknown };
  Location?: { Start?: { LineNumber?: unknown; ColumnNumber?: unknown } };
}

/**
 * The reason the caller aborted with, passed on unchanged (callers compare it by identity). It is an
 * Error by convention (abort() without one gives an AbortError); anything else is wrapped in one.
 */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(l10n.t('Aborted: {0}', String(reason)));
}

export function runCfnLint(path: string, signal: AbortSignal, options: LintOptions = {}): Promise<LintResult> {
  const executable = options.executable ?? 'cfn-lint';
  const timeoutMs = options.timeoutMs ?? CFN_LINT_TIMEOUT_MS;
  const displayPath = options.displayPath ?? basename(path);
  if (signal.aborted) return Promise.reject(abortReason(signal));

  return new Promise<LintResult>((resolve, reject) => {
    // Own process group, so a kill also reaches a wrapper's children (pyenv shims, venv scripts).
    const groupKill = process.platform !== 'win32';
    // cwd = the template's folder, so a project .cfnlintrc applies.
    // W3002 warns that a local TemplateURL needs `aws cloudformation package`: Stackwatch packages
    // local nested templates itself (nestedTemplates.ts), so the warning would only mislead.
    const fromStdin = options.text !== undefined;
    const child = spawn(executable, fromStdin ? [...CFN_LINT_ARGS] : [...CFN_LINT_ARGS, '--', path], {
      cwd: dirname(path),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: groupKill,
    });
    // An early exit closes the pipe; that outcome is read from the exit code, not from this error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.text ?? '', 'utf8');
    let stdout = '';
    let stderr = '';
    let settled = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < MAX_STDERR_CHARS) stderr += chunk;
    });

    const kill = (): void => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      try {
        if (groupKill) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      outcome();
    };
    const onAbort = (): void => {
      kill();
      finish(() => reject(abortReason(signal)));
    };
    // Off the critical path a hung cfn-lint must not hold the execute forever, nor block it: the
    // change set already passed CloudFormation's own validation. It is a note, like a crash.
    const timer = setTimeout(() => {
      kill();
      finish(() =>
        resolve({
          available: true,
          errors: [],
          warnings: [],
          timedOut: true,
          note: l10n.t(
            'cfn-lint did not finish checking {0} within {1} s, so the template was not linted. Run "cfn-lint {2}" in a terminal to see what it is doing.',
            displayPath,
            timeoutMs / 1000,
            path,
          ),
        }),
      );
    }, timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });

    child.on('error', (error: NodeJS.ErrnoException) => {
      finish(() => {
        if (error.code === 'ENOENT') resolve({ available: false, errors: [], warnings: [] });
        else
          resolve({
            available: false,
            errors: [],
            warnings: [],
            note: l10n.t('cfn-lint could not be started ({0}); the template was not linted.', error.message),
          });
      });
    });
    child.on('close', (code) => {
      finish(() => resolve(interpret(code, stdout, stderr)));
    });
  });
}

function interpret(code: number | null, stdout: string, stderr: string): LintResult {
  if (code === COMMAND_NOT_FOUND && stdout.trim() === '') return { available: false, errors: [], warnings: [] };
  let parsed: unknown;
  try {
    parsed = stdout.trim() === '' && code === 0 ? [] : JSON.parse(stdout);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed)) {
    const detail = firstLine(stderr) ?? firstLine(stdout) ?? l10n.t('no output');
    const note =
      code === null
        ? l10n.t('cfn-lint failed (exit code none: {0}); the template was not linted.', detail)
        : l10n.t('cfn-lint failed (exit code {0}: {1}); the template was not linted.', code, detail);
    return { available: true, errors: [], warnings: [], note };
  }
  const errors: LintFinding[] = [];
  const warnings: LintFinding[] = [];
  for (const raw of parsed as RawFinding[]) {
    const finding: LintFinding = {
      rule: typeof raw.Rule?.Id === 'string' ? raw.Rule.Id : 'cfn-lint',
      message: typeof raw.Message === 'string' ? raw.Message : l10n.t('no message'),
      line: positiveInteger(raw.Location?.Start?.LineNumber),
      column: positiveInteger(raw.Location?.Start?.ColumnNumber),
    };
    if (raw.Level === 'Error') errors.push(finding);
    else if (raw.Level === 'Warning') warnings.push(finding);
  }
  // cfn-lint's exit status is a bit mask: 2 = errors. Errors it reported but we could not read still block.
  if (code !== null && (code & 2) !== 0 && errors.length === 0) {
    return {
      available: true,
      errors,
      warnings,
      note: l10n.t('cfn-lint reported errors (exit code {0}) that could not be read; the template was not fully linted.', code),
    };
  }
  return { available: true, errors, warnings };
}

function positiveInteger(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 1;
}

function firstLine(text: string): string | undefined {
  const line = text
    .split('\n')
    .map((part) => part.trim())
    .find((part) => part !== '');
  return line;
}
