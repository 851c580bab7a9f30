/**
 * The sentences of the host's notifications, built from their pieces so that each reads as plain
 * sentences whatever its pieces end with (see sentences.ts). Pure, so the wording is tested
 * without an editor.
 */
import * as l10n from '@vscode/l10n';
import type { PhaseTag } from '../deployment/machine';
import type { ErrorInfo } from '../deployment/errorInfo';
import { progressNotice, sentences, withPlace } from '../shared/sentences';

/** The progress notification of a deployment that goes on after its monitor was closed; VS Code shows it as "title: message". */
export function backgroundNoticeText(name: string): { title: string; message: string } {
  return progressNotice(
    l10n.t({
      message: '{0} is still deploying in the background',
      args: [name],
      comment: ['The title of a notification; the next sentence follows it after a colon.'],
    }),
    l10n.t({ message: 'click its item in the status bar to bring the monitor back', comment: ['Follows "… is still deploying in the background:".'] }),
  );
}

/** What to tell a person who closed the monitor where the deployment waits for them, by phase. */
export function comeBackText(phase: PhaseTag, name: string): string | undefined {
  switch (phase) {
    case 'review':
      return l10n.t('{0}: the changes are staged and wait for your review.', name);
    case 'consent':
      return l10n.t('{0}: the stack cannot be updated, and Stackwatch waits for your decision.', name);
    case 'otherOperation':
      return l10n.t('{0}: another operation is running on it, and Stackwatch waits for your decision.', name);
    case 'lostContact':
      return l10n.t('{0}: Stackwatch lost contact with the provider. The outcome is unknown until you check again.', name);
    default:
      return undefined;
  }
}

/** The place an input error points at, "file:line", when it has one. */
export function errorPlace(error: Pick<ErrorInfo, 'file' | 'line'>): string | undefined {
  return error.file ? `${error.file}${error.line ? `:${error.line}` : ''}` : undefined;
}

/** The notification of bad input that ended a deployment before anything reached the cloud. */
export function inputErrorText(name: string, error: Pick<ErrorInfo, 'message' | 'hint'>): string {
  return l10n.t('Stackwatch: {0}', sentences(l10n.t('{0} was not deployed', name), error.message, error.hint));
}

/** The log line of an ended deployment's error: the message, where it points, then the hint. */
export function errorLogLine(name: string, error: Pick<ErrorInfo, 'message' | 'hint' | 'file' | 'line'>): string {
  return l10n.t('{0}: {1}', name, sentences(withPlace(error.message, errorPlace(error)), error.hint));
}

/** Stop Deployment run while the deployment cannot be stopped (the menus hide it then; a key binding or a script may still run it). */
export function stopRefusalText(name: string, reason: string | undefined): string {
  return l10n.t('Stackwatch: {0}', sentences(l10n.t('{0} cannot be stopped now', name), reason ?? l10n.t('It is not deploying')));
}

/** A settings error, with the hint that says what the setting expects. */
export function settingsErrorText(message: string, hint: string | undefined): string {
  return l10n.t('Stackwatch: {0}', sentences(message, hint));
}
