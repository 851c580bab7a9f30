/**
 * What cfn-lint found, as Stackwatch reports it: the first error blocks the execute, at its line;
 * warnings join the template's other warnings.
 */
import * as l10n from '@vscode/l10n';
import { AWS_SETTING_KEYS } from '../settings';
import { InputError } from '../../../input/inputError';
import type { LintResult } from './cfnLint';
import { excerpt } from './excerpt';
import { asSentence, CFN_LINT_ERRORS, moreProblemsSentence } from './moreProblems';

/** Where the findings are: the template on disk, and how messages name it. */
export interface LintedFile {
  absPath: string;
  displayPath: string;
}

/** cfn-lint's rule for its own crash ("Unknown exception while processing rule …"): a cfn-lint bug, not the template's. */
const CFN_LINT_INTERNAL_ERROR = 'E0002';

/**
 * Errors block with the first one's line; warnings become "file:line: RULE message". cfn-lint's
 * own crash (E0002) may come first while a real error follows: the real one is shown.
 */
export function lintOrThrow(template: LintedFile, result: LintResult): string[] {
  const path = template.displayPath;
  const first = result.errors.find((error) => error.rule !== CFN_LINT_INTERNAL_ERROR) ?? result.errors[0];
  if (first) {
    // cfn-lint's own crash is no problem of the template's: it gets no place in Problems.
    const others = result.errors
      .filter((error) => error !== first && error.rule !== CFN_LINT_INTERNAL_ERROR)
      .map((error) => ({ message: `${error.rule} ${excerpt(error.message, 300)}`, line: error.line, column: error.column }));
    const more = moreProblemsSentence(CFN_LINT_ERRORS, others);
    const internal = first.rule === CFN_LINT_INTERNAL_ERROR;
    const finding = internal
      ? l10n.t('cfn-lint internal error ({0}), a fault in cfn-lint itself: {1}', first.rule, excerpt(first.message, 300))
      : `${first.rule} ${excerpt(first.message, 300)}`;
    throw new InputError(`${asSentence(finding)}${more}`, {
      file: template.absPath,
      displayFile: path,
      line: first.line,
      column: first.column,
      moreProblems: others,
      setting: internal ? AWS_SETTING_KEYS.cfnLint : undefined,
      hint: internal
        ? l10n.t(
            'cfn-lint crashed while checking the template, so it is unchecked. Upgrade cfn-lint (pip install -U cfn-lint), or set {0} to "off" to deploy without it.',
            AWS_SETTING_KEYS.cfnLint,
          )
        : l10n.t('Found by cfn-lint. Fix the template, or set {0} to "off" if cfn-lint is wrong about it.', AWS_SETTING_KEYS.cfnLint),
    });
  }
  const warnings = result.warnings.map((warning) => `${path}:${warning.line}: ${warning.rule} ${excerpt(warning.message, 300)}`);
  return result.note ? [...warnings, result.note] : warnings;
}
