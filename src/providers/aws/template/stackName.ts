/** CloudFormation's stack name rule, checked before any call so the message can name the setting. */
import * as l10n from '@vscode/l10n';
import { AWS_SETTING_KEYS } from '../settings';
import { InputError } from '../../../input/inputError';

export const STACK_NAME_MAX_LENGTH = 128;

/** What is wrong with a stack name. */
export type StackNameIssue =
  { kind: 'empty' } | { kind: 'start'; character: string } | { kind: 'character'; character: string; position: number } | { kind: 'length'; length: number };

function describeCharacter(character: string): string {
  if (character === ' ') return l10n.t({ message: 'a space', comment: ['A character in a stack name, as in: …contains {0} at position 4.'] });
  if (/\s/.test(character))
    return l10n.t({
      message: 'a whitespace character ({0})',
      args: [JSON.stringify(character)],
      comment: ['A character in a stack name, as in: …contains {0} at position 4.'],
    });
  return `'${character}'`;
}

/** What is wrong with the name, or undefined when CloudFormation accepts it. */
export function stackNameIssue(name: string): StackNameIssue | undefined {
  if (name.length === 0) return { kind: 'empty' };
  if (!/^[A-Za-z]/.test(name)) return { kind: 'start', character: name[0] };
  const bad = /[^-A-Za-z0-9]/.exec(name);
  if (bad) return { kind: 'character', character: bad[0], position: bad.index + 1 };
  if (name.length > STACK_NAME_MAX_LENGTH) return { kind: 'length', length: name.length };
  return undefined;
}

/**
 * What is wrong with the name, as the end of a sentence that names it ("The stack name "x" …"),
 * or undefined when CloudFormation accepts it. Where the name is known, stackNameSentence gives
 * a whole sentence instead.
 */
export function stackNameProblem(name: string): string | undefined {
  const issue = stackNameIssue(name);
  if (!issue) return undefined;
  switch (issue.kind) {
    case 'empty':
      return l10n.t({ message: 'is empty', comment: ['Ends a sentence that names a stack, as in: The stack name "1abc" …'] });
    case 'start':
      return l10n.t({
        message: 'must start with a letter, but starts with {0}',
        args: [describeCharacter(issue.character)],
        comment: ['Ends a sentence that names a stack, as in: The stack name "1abc" …'],
      });
    case 'character':
      return l10n.t({
        message: "contains {0} at position {1}; only letters, digits and '-' are allowed",
        args: [describeCharacter(issue.character), issue.position],
        comment: ['Ends a sentence that names a stack, as in: The stack name "1abc" …'],
      });
    case 'length':
      return l10n.t({
        message: 'is {0} characters long; the limit is {1}',
        args: [issue.length, STACK_NAME_MAX_LENGTH],
        comment: ['Ends a sentence that names a stack, as in: The stack name "1abc" …'],
      });
  }
}

/** "The stack name "x" in <setting> is empty.": the whole sentence for a name that CloudFormation refuses. */
export function stackNameSentence(name: string, setting: string, issue: StackNameIssue): string {
  const quotedName = JSON.stringify(name);
  switch (issue.kind) {
    case 'empty':
      return l10n.t('The stack name {0} in {1} is empty.', quotedName, setting);
    case 'start':
      return l10n.t('The stack name {0} in {1} must start with a letter, but starts with {2}.', quotedName, setting, describeCharacter(issue.character));
    case 'character':
      return l10n.t(
        "The stack name {0} in {1} contains {2} at position {3}; only letters, digits and '-' are allowed.",
        quotedName,
        setting,
        describeCharacter(issue.character),
        issue.position,
      );
    case 'length':
      return l10n.t('The stack name {0} in {1} is {2} characters long; the limit is {3}.', quotedName, setting, issue.length, STACK_NAME_MAX_LENGTH);
  }
}

/** A name CloudFormation would accept, close to the one given, for the hint. */
function suggestName(name: string): string | undefined {
  const cleaned = name
    .replace(/[^-A-Za-z0-9]+/g, '-')
    .replace(/^[^A-Za-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, STACK_NAME_MAX_LENGTH);
  return cleaned.length > 0 && stackNameIssue(cleaned) === undefined ? cleaned : undefined;
}

export function assertValidStackName(name: string): void {
  const issue = stackNameIssue(name);
  if (!issue) return;
  const suggestion = suggestName(name);
  throw new InputError(stackNameSentence(name, AWS_SETTING_KEYS.stackName, issue), {
    setting: AWS_SETTING_KEYS.stackName,
    hint: suggestion
      ? l10n.t('Stack names start with a letter and hold only letters, digits and \'-\' (at most {0}). For example "{1}".', STACK_NAME_MAX_LENGTH, suggestion)
      : l10n.t("Stack names start with a letter and hold only letters, digits and '-' (at most {0}).", STACK_NAME_MAX_LENGTH),
  });
}
