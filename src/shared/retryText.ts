/**
 * The retry banner's words from the error being retried. Providers' errors read
 * "<call>: <what happened> (<their words>)."; the banner says "Retrying <call> in 2 s: <what
 * happened> (<their words>).", so the call and the reason are taken apart here (on the host),
 * and the sentence is put together on the page as the countdown runs.
 */

export interface RetryParts {
  /** The call being retried, as a phrase that follows "Retrying"; absent when the message names none. */
  operation?: string;
  /** What happened, without a closing period. */
  reason: string;
}

/** A call's name is short and has no punctuation of its own ("GetThings", "things.get", "Reading the target"). */
const MAX_OPERATION_LENGTH = 60;

export function retryParts(message: string): RetryParts {
  const text = message.trim().replace(/\.+$/, '');
  const at = text.indexOf(': ');
  const head = at > 0 ? text.slice(0, at) : '';
  const rest = at > 0 ? text.slice(at + 2).trim() : '';
  if (head === '' || rest === '' || head.length > MAX_OPERATION_LENGTH || /[:;,()[\]]/.test(head)) return { reason: text };
  return { operation: asFollowingWords(head), reason: rest };
}

/** "Reading the target" reads on after "Retrying" as "reading the target"; an API name keeps its case. */
function asFollowingWords(phrase: string): string {
  const [first] = phrase.split(' ');
  const isPhrase = phrase.includes(' ') && /^[A-Z][a-z]+$/.test(first ?? '');
  return isPhrase ? phrase.charAt(0).toLowerCase() + phrase.slice(1) : phrase;
}

/** The banner's sentence at a moment: "Retrying GetThings in 2 s, attempt 2: the service is throttling requests (Rate exceeded)." */
export function retrySentence(parts: RetryParts, secondsLeft: number, attempt: number): string {
  const when = secondsLeft > 0 ? `in ${secondsLeft} s` : 'now';
  const which = attempt > 1 ? `, attempt ${attempt}` : '';
  const end = /[.!?…]$/.test(parts.reason) ? '' : '.';
  return `Retrying ${parts.operation ? `${parts.operation} ` : ''}${when}${which}: ${parts.reason}${end}`;
}
