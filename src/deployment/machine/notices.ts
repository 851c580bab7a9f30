/**
 * The notices the machine's transitions add, by id. A transition names its notice (an action's
 * params are data, fixed when the machine is built); the sentence is translated when the action
 * runs, so it reads in the language in use then.
 */
import * as l10n from '@vscode/l10n';
import { callLabel, type CallName } from './calls';

/** A notice a transition adds as it is (addNotice, abortTo). */
export type NoticeId =
  | 'targetBeingDeleted'
  | 'executedBeforeStop'
  | 'nothingExecutedRemoving'
  | 'recoveryDeclined'
  | 'nothingDeletedOrChanged'
  | 'recoveryGoesOn'
  | 'otherOperationGoesOn';

export function noticeText(id: NoticeId): string {
  switch (id) {
    case 'targetBeingDeleted':
      return l10n.t('The stack was being deleted. Stackwatch waits for the deletion to finish, then creates it again.');
    case 'executedBeforeStop':
      return l10n.t('The changes had already started deploying when you asked to stop; Stackwatch is stopping them.');
    case 'nothingExecutedRemoving':
      return l10n.t('Nothing had been executed; Stackwatch removes the staged changes.');
    case 'recoveryDeclined':
      return l10n.t('You declined the recovery. Nothing was deleted or changed.');
    case 'nothingDeletedOrChanged':
      return l10n.t('Nothing was deleted or changed.');
    case 'recoveryGoesOn':
      return l10n.t('Stackwatch stopped waiting. A recovery the provider already accepted (a delete) goes on; nothing else was changed.');
    case 'otherOperationGoesOn':
      return l10n.t('Nothing was deployed. The other operation goes on.');
  }
}

/** What a call that gave up only as a notice (CallStep.errorAs 'notice') failed to do. */
export type FailedStepId = 'outputsUnread' | 'stagedNotRemoved' | 'stopNotPossible' | 'optionNotChanged' | 'previewNotRemoved';

/** The params of noteErrorAsNotice: the call, and what its failure means when the step says so. */
export interface FailedStep {
  call: CallName;
  failed?: FailedStepId;
}

/** The notice for a call that gave up: what it failed to do, then the error's message. */
export function failedStepNotice({ call, failed }: FailedStep, message: string): string {
  switch (failed) {
    case 'outputsUnread':
      return l10n.t('The outputs could not be read: {0}', message);
    case 'stagedNotRemoved':
      return l10n.t('What this deployment staged could not be removed: {0}', message);
    case 'stopNotPossible':
      return l10n.t('Stop is not possible: {0}', message);
    case 'optionNotChanged':
      return l10n.t('The option was not changed: the changes staged before could not be removed: {0}', message);
    case 'previewNotRemoved':
      return l10n.t('The delete preview could not be removed: {0}', message);
    case undefined:
      return l10n.t({
        message: '{0}: {1}',
        args: [callLabel(call), message],
        comment: ['A provider call that failed ("Reading the target"), then the error it got.'],
      });
  }
}
