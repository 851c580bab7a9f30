/**
 * The retry banner's words from the error being retried. Providers' errors read
 * "<call>: <what happened> (<their words>)."; the banner says "Retrying <call> in 2 s: <what
 * happened> (<their words>).", so the call and the reason are taken apart here (on the host),
 * and the sentence is put together on the page as the countdown runs.
 */
import * as l10n from '@vscode/l10n';
import { sentence } from './sentences';

export interface RetryParts {
  /** The call being retried, as a phrase that follows "Retrying"; absent when the message names none. */
  operation?: string;
  /** What happened, without a closing period. */
  reason: string;
}

/** A call's name is short and has no punctuation of its own ("GetThings", "things.get", "Reading the target"). */
const MAX_OPERATION_LENGTH = 60;

/** The error being retried, as the host holds it: the call and what happened are given apart when the provider knew them. */
export interface RetriedError {
  message: string;
  operation?: string;
  reason?: string;
}

export function retryParts(error: RetriedError, english: boolean): RetryParts {
  if (error.operation && error.reason) {
    return { operation: english ? asFollowingWords(error.operation) : error.operation, reason: error.reason.trim().replace(/\.+$/, '') };
  }
  // An error saved by an earlier version, or one no call made: read the "<call>: " the message starts with.
  const text = error.message.trim().replace(/\.+$/, '');
  const at = text.indexOf(': ');
  const head = at > 0 ? text.slice(0, at) : '';
  const rest = at > 0 ? text.slice(at + 2).trim() : '';
  if (head === '' || rest === '' || head.length > MAX_OPERATION_LENGTH || /[:;,()[\]]/.test(head)) return { reason: text };
  return { operation: english ? asFollowingWords(head) : head, reason: rest };
}

/**
 * "Reading the target" reads on after "Retrying" as "reading the target"; an API name keeps its
 * case. English's rule only: a translation's call names are used as the translator wrote them.
 */
function asFollowingWords(phrase: string): string {
  const [first] = phrase.split(' ');
  const isPhrase = phrase.includes(' ') && /^[A-Z][a-z]+$/.test(first ?? '');
  return isPhrase ? phrase.charAt(0).toLowerCase() + phrase.slice(1) : phrase;
}

/** The banner's sentence at a moment: "Retrying GetThings in 2 s, attempt 2: the service is throttling requests (Rate exceeded)." */
export function retrySentence(parts: RetryParts, secondsLeft: number, attempt: number): string {
  const reason = sentence(parts.reason);
  const { operation } = parts;
  // Each combination a whole sentence, so a translator can order it as the language needs.
  if (operation === undefined) {
    if (secondsLeft > 0)
      return attempt > 1 ? l10n.t('Retrying in {0} s, attempt {1}: {2}', secondsLeft, attempt, reason) : l10n.t('Retrying in {0} s: {1}', secondsLeft, reason);
    return attempt > 1 ? l10n.t('Retrying now, attempt {0}: {1}', attempt, reason) : l10n.t('Retrying now: {0}', reason);
  }
  if (secondsLeft > 0)
    return attempt > 1
      ? l10n.t('Retrying {0} in {1} s, attempt {2}: {3}', operation, secondsLeft, attempt, reason)
      : l10n.t('Retrying {0} in {1} s: {2}', operation, secondsLeft, reason);
  return attempt > 1 ? l10n.t('Retrying {0} now, attempt {1}: {2}', operation, attempt, reason) : l10n.t('Retrying {0} now: {1}', operation, reason);
}
