/**
 * What an input error's message says of the problems after the first: how many, and on which
 * lines. Each one also goes to the Problems panel at its own place (InputError.moreProblems), so
 * the message need not name them. Pure.
 */
import * as l10n from '@vscode/l10n';
import type { InputProblem } from '../../../input/inputError';
import { sentence } from '../../../shared/sentences';

/** What the other problems are, counted: "There is 1 more YAML problem" / "There are 3 more YAML problems". */
export interface ProblemKind {
  one: () => string;
  many: (count: number) => string;
}

export const YAML_PROBLEMS: ProblemKind = {
  one: () => l10n.t('There is 1 more YAML problem'),
  many: (count) => l10n.t('There are {0} more YAML problems', count),
};

export const CFN_LINT_ERRORS: ProblemKind = {
  one: () => l10n.t('There is 1 more cfn-lint error'),
  many: (count) => l10n.t('There are {0} more cfn-lint errors', count),
};

export const PARAMETER_PROBLEMS: ProblemKind = {
  one: () => l10n.t('There is 1 more parameter problem'),
  many: (count) => l10n.t('There are {0} more parameter problems', count),
};

export const UNKNOWN_REFERENCES: ProblemKind = {
  one: () => l10n.t('There is 1 more unknown reference'),
  many: (count) => l10n.t('There are {0} more unknown references', count),
};

/**
 * " There are 2 more YAML problems, on lines 9 and 12; the Problems panel lists each." ('' for
 * none). Lines are named only when the others are all in the first one's file; the Problems
 * panel is named only when every other one has a place there (`unplaced`: how many have none).
 */
export function moreProblemsSentence(kind: ProblemKind, others: readonly Pick<InputProblem, 'line' | 'file'>[], unplaced = 0): string {
  const count = others.length + unplaced;
  if (count === 0) return '';
  const sameFile = unplaced === 0 && others.every((p) => p.file === undefined);
  const lines = sameFile ? [...new Set(others.map((p) => p.line).filter((line): line is number => line !== undefined))] : [];
  const last = lines[lines.length - 1];
  const counted = count === 1 ? kind.one() : kind.many(count);
  // Lines are named only when every other problem has a place (unplaced === 0), so the panel is named then too.
  const sentence =
    unplaced > 0
      ? l10n.t({ message: '{0}.', args: [counted], comment: ['{0} is a clause such as "There are 2 more YAML problems".'] })
      : lines.length === 0
        ? l10n.t({ message: '{0}; the Problems panel lists each.', args: [counted], comment: ['{0} is a clause such as "There are 2 more YAML problems".'] })
        : lines.length === 1
          ? l10n.t({
              message: '{0}, on line {1}; the Problems panel lists each.',
              args: [counted, last],
              comment: ['{0} is a clause such as "There are 2 more YAML problems".'],
            })
          : lines.length <= 5
            ? l10n.t({
                message: '{0}, on lines {1} and {2}; the Problems panel lists each.',
                args: [counted, lines.slice(0, -1).join(', '), last],
                comment: ['{0} is a clause such as "There are 2 more YAML problems".'],
              })
            : l10n.t({
                message: '{0}, on lines {1} to {2}; the Problems panel lists each.',
                args: [counted, lines[0], last],
                comment: ['{0} is a clause such as "There are 2 more YAML problems".'],
              });
  return ` ${sentence}`;
}

/** The first problem's text as a sentence, so the count can follow it. */
export function asSentence(text: string): string {
  return sentence(text);
}
