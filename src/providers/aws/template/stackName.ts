/** CloudFormation's stack name rule, checked before any call so the message can name the setting. */
import { AWS_SETTING_KEYS } from '../settings';
import { InputError } from '../../../input/inputError';

export const STACK_NAME_MAX_LENGTH = 128;

function describeCharacter(character: string): string {
  if (character === ' ') return 'a space';
  if (/\s/.test(character)) return `a whitespace character (${JSON.stringify(character)})`;
  return `'${character}'`;
}

/** What is wrong with the name, or undefined when CloudFormation accepts it. */
export function stackNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (!/^[A-Za-z]/.test(name)) return `must start with a letter, but starts with ${describeCharacter(name[0])}`;
  const bad = /[^-A-Za-z0-9]/.exec(name);
  if (bad) return `contains ${describeCharacter(bad[0])} at position ${bad.index + 1}; only letters, digits and '-' are allowed`;
  if (name.length > STACK_NAME_MAX_LENGTH) return `is ${name.length} characters long; the limit is ${STACK_NAME_MAX_LENGTH}`;
  return undefined;
}

/** A name CloudFormation would accept, close to the one given, for the hint. */
function suggestName(name: string): string | undefined {
  const cleaned = name
    .replace(/[^-A-Za-z0-9]+/g, '-')
    .replace(/^[^A-Za-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, STACK_NAME_MAX_LENGTH);
  return cleaned.length > 0 && stackNameProblem(cleaned) === undefined ? cleaned : undefined;
}

export function assertValidStackName(name: string): void {
  const problem = stackNameProblem(name);
  if (!problem) return;
  const suggestion = suggestName(name);
  throw new InputError(`The stack name ${JSON.stringify(name)} in ${AWS_SETTING_KEYS.stackName} ${problem}.`, {
    setting: AWS_SETTING_KEYS.stackName,
    hint: `Stack names start with a letter and hold only letters, digits and '-' (at most ${STACK_NAME_MAX_LENGTH}).${suggestion ? ` For example "${suggestion}".` : ''}`,
  });
}
