/**
 * cfn-lint as the machine's background check: it runs while the change set is created, and its
 * first error blocks the execute, at its line. An unchanged template (same text, parameters,
 * cfn-lint version, config and nested templates) is answered from the cache without starting
 * cfn-lint. cfn-lint missing, crashing or too slow never blocks: the report says so.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import * as l10n from '@vscode/l10n';
import type { CheckInput, CheckReport } from '../../../deployment/machine';
import type { BackgroundCheck, ProviderMemory } from '../../descriptor';
import { nestedTemplateFiles } from '../nestedTemplates';
import type { AwsStackSettings } from '../settings';
import { runCfnLint, type LintResult } from './cfnLint';
import { CfnLintVersions, resolveExecutable } from './cfnLintVersion';
import { LintResultStore, lintCacheKey, type KeyedFile } from './lintCache';
import { lintOrThrow } from './lintFindings';

/** The step list's label for the check. */
export function cfnLintCheckLabel(): string {
  return l10n.t('Checking with cfn-lint');
}

export type CfnLintNote = 'turnedOff' | 'notInstalled' | 'couldNotStart' | 'timedOut' | 'unreadable' | 'noFindings' | 'fromCache' | 'stagedText';

/** A few words beside the check in the step list. */
export function cfnLintNote(note: CfnLintNote): string {
  switch (note) {
    case 'turnedOff':
      return l10n.t({ message: 'turned off', comment: ['A short note beside the "Checking with cfn-lint" step in the deployment\'s step list.'] });
    case 'notInstalled':
      return l10n.t({ message: 'not installed', comment: ['A short note beside the "Checking with cfn-lint" step in the deployment\'s step list.'] });
    case 'couldNotStart':
      return l10n.t({ message: 'could not start', comment: ['A short note beside the "Checking with cfn-lint" step in the deployment\'s step list.'] });
    case 'timedOut':
      return l10n.t({ message: 'timed out', comment: ['A short note beside the "Checking with cfn-lint" step in the deployment\'s step list.'] });
    case 'unreadable':
      return l10n.t({
        message: 'could not read its answer',
        comment: ['A short note beside the "Checking with cfn-lint" step in the deployment\'s step list.'],
      });
    case 'noFindings':
      return l10n.t({ message: 'no findings', comment: ['A short note beside the "Checking with cfn-lint" step in the deployment\'s step list.'] });
    case 'fromCache':
      return l10n.t({
        message: 'from cache',
        comment: ['A short note beside the "Checking with cfn-lint" step in the deployment\'s step list. The result was remembered from an earlier run.'],
      });
    case 'stagedText':
      return l10n.t({
        message: 'the staged text',
        comment: [
          'A short note beside the "Checking with cfn-lint" step in the deployment\'s step list. cfn-lint checked the text that was staged, not the file as it is now.',
        ],
      });
  }
}
/** The names cfn-lint 1.x looks for, in its order, in the folder it runs from and in the home folder. */
export const CFN_LINT_CONFIG_NAMES = ['.cfnlintrc', '.cfnlintrc.yaml', '.cfnlintrc.yml'] as const;

export interface LintCheckOptions {
  /** Where results and versions are kept between windows; in memory only without it. */
  memory?: ProviderMemory;
  /** Defaults to `cfn-lint` on PATH. */
  executable?: string;
  /** Replaces cfn-lint's run, for tests. */
  lint?: typeof runCfnLint;
  /** Replaces the version lookup (and its cache), for tests. */
  versions?: CfnLintVersions;
  /** Replaces the result cache shared by the window, for tests. */
  results?: LintResultStore;
  /** The home folder whose .cfnlintrc counts; defaults to the user's. */
  home?: string;
}

export function createLintCheck(settings: AwsStackSettings, options: LintCheckOptions = {}): BackgroundCheck {
  const lint = options.lint ?? runCfnLint;
  const versions = options.versions ?? new CfnLintVersions(options.memory);
  const results = options.results ?? new LintResultStore(options.memory);
  const templatePath = settings.templatePath;

  return async (input: CheckInput, signal: AbortSignal): Promise<CheckReport> => {
    if (settings.cfnLint === 'off') return { outcome: 'passed', warnings: [], note: cfnLintNote('turnedOff') };
    const executable = await resolveExecutable(options.executable ?? 'cfn-lint');
    if (executable === undefined) return { outcome: 'unavailable', warnings: [], note: cfnLintNote('notInstalled') };
    signal.throwIfAborted();
    const body = input.template.body;
    // Lint exactly what was staged: a file edited since (or a restore after a reload) goes on stdin.
    const onDisk = await readText(templatePath);
    const fromStdin = onDisk !== body;
    const version = await versions.of(executable, signal);
    signal.throwIfAborted();
    const key =
      version === undefined
        ? undefined
        : lintCacheKey({
            templateText: body,
            parameters: input.parameters,
            version,
            configs: await configFiles(dirname(templatePath), options.home ?? homedir()),
            nested: fromStdin ? [] : await nestedFiles(body, templatePath),
            fromStdin,
          });
    signal.throwIfAborted();
    const cached = key === undefined ? undefined : results.get(key);
    const result = cached ?? (await lint(templatePath, signal, { executable, displayPath: input.template.path, ...(fromStdin ? { text: body } : {}) }));
    // Kept only if the file still holds what was linted (an edit while cfn-lint read it would file the
    // new text's findings under the old text's key), and best-effort: a storage failure must never
    // turn the verdict (a lint error into "could not run").
    if (key !== undefined && cached === undefined && (fromStdin || (await readText(templatePath)) === body)) {
      await results.put(key, result).catch(() => undefined);
    }
    return report(result, { absPath: templatePath, displayPath: input.template.path }, { cached: cached !== undefined, fromStdin });
  };
}

function report(result: LintResult, file: { absPath: string; displayPath: string }, how: { cached: boolean; fromStdin: boolean }): CheckReport {
  // Throws the first error (an InputError at its line): the machine blocks the execute with it.
  const warnings = lintOrThrow(file, result);
  if (!result.available) return { outcome: 'unavailable', warnings, note: cfnLintNote(result.note ? 'couldNotStart' : 'notInstalled') };
  if (result.note) return { outcome: 'unavailable', warnings, note: cfnLintNote(result.timedOut ? 'timedOut' : 'unreadable') };
  const count = result.warnings.length;
  const found = count === 0 ? cfnLintNote('noFindings') : count === 1 ? l10n.t('1 warning') : l10n.t('{0} warnings', count);
  const notes = [found, ...(how.cached ? [cfnLintNote('fromCache')] : []), ...(how.fromStdin ? [cfnLintNote('stagedText')] : [])];
  return { outcome: 'passed', warnings, note: notes.join(', ') };
}

async function readText(path: string): Promise<string | undefined> {
  try {
    // The loader drops a byte-order mark; so does this comparison.
    return (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

/** The config cfn-lint reads: the first of CFN_LINT_CONFIG_NAMES in the home folder, and in the folder it runs from. */
async function configFiles(folder: string, home: string): Promise<KeyedFile[]> {
  const first = async (dir: string): Promise<KeyedFile> => {
    for (const name of CFN_LINT_CONFIG_NAMES) {
      const path = join(dir, name);
      const text = await readText(path);
      if (text !== undefined) return { path, text };
    }
    return { path: dir, text: undefined };
  };
  return [await first(home), await first(folder)];
}

/** The local nested templates cfn-lint opens (one level: it compares their parameters, E3043). */
async function nestedFiles(body: string, templatePath: string): Promise<KeyedFile[]> {
  const paths = [...new Set(nestedTemplateFiles(body, templatePath).values())].sort();
  return Promise.all(paths.map(async (path) => ({ path, text: await readText(path) })));
}
