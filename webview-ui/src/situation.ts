/**
 * Two moments where Stackwatch cannot decide for the person: someone else's operation runs on
 * the target, or contact with the provider was lost after the execute. Each says what is known,
 * what is not, and what the buttons below will do.
 *
 * Not a live region: its paragraphs are re-rendered as the model changes, and a live region would
 * read them all again each time. Entering either situation changes the shown status, which the
 * header announces; this panel speaks only when the header does not (a fresh snapshot, and the
 * start of watching), so each change is announced once. The focused button is described by the
 * panel's paragraphs, so the details are read when focus lands on it.
 */
import * as l10n from '@vscode/l10n';
import type { LostContact, MonitorViewModel, OtherOperation } from '../../src/shared/viewModel';
import { capitalized, codicon, el, fill, withParts, type Child } from './dom';
import { changed, type Section, type SectionContext } from './section';

export class SituationPanel implements Section {
  readonly element = el('section', { class: 'situation', id: 'situation', role: 'region', 'aria-labelledby': 'situation-title' });

  constructor(private readonly ctx: SectionContext) {
    this.element.hidden = true;
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (!changed(next, prev, 'otherOperation', 'lostContact', 'final', 'error', 'stackName', 'words')) return;
    const other = next.otherOperation;
    const lost = next.lostContact;
    this.element.hidden = !other && !lost;
    if (other) this.showOtherOperation(next, other, prev);
    else if (lost) this.showLostContact(next, lost, prev);
    else this.element.replaceChildren();
  }

  private showOtherOperation(model: MonitorViewModel, other: OtherOperation, prev: MonitorViewModel | undefined): void {
    const time = other.startedAt ? new Date(other.startedAt).toLocaleTimeString() : '';
    fill(
      this.element,
      heading('warning', l10n.t('Another operation is running on {0} {1}', model.words.target, model.stackName)),
      el(
        'p',
        {},
        ...withParts(
          l10n.t({
            message: '{0} {1} is in {2}: an operation {3}',
            comment: [
              "{0} is the provider's word for the target (e.g. 'Stack'), {1} its name, {2} its status; {3} ends the sentence: who started the operation.",
            ],
          }),
          capitalized(model.words.target),
          el('strong', {}, model.stackName),
          el('code', { id: 'situation-status' }, other.providerStatus),
          el('span', { id: 'situation-who' }, whoStarted(other.startedBy, time)),
        ),
      ),
      el('p', { id: 'situation-ours' }, l10n.t('Stackwatch has not staged or changed anything, and will not report that operation’s outcome as yours.')),
      el(
        'p',
        // Focusable from script only: where focus lands once Watch is pressed and disabled.
        { id: 'situation-next', class: other.watching ? 'waiting' : undefined, tabindex: other.watching ? -1 : undefined },
        other.watching ? codicon('loading', true) : undefined,
        other.watching
          ? ` ${l10n.t('Waiting for it to end: your deployment starts as soon as it does. Cancel Deployment stops waiting.')}`
          : l10n.t('Watch it and deploy yours when it ends, or cancel your deployment.'),
      ),
    );
    if (!prev)
      this.ctx.announcer.announce(l10n.t('Another operation is running on {0}, in {1}. Nothing of yours was staged.', model.stackName, other.providerStatus));
    else if (other.watching && prev.otherOperation?.watching === false)
      this.ctx.announcer.announce(l10n.t('Watching: your deployment starts when that operation ends.'));
  }

  private showLostContact(model: MonitorViewModel, lost: LostContact, prev: MonitorViewModel | undefined): void {
    const ended = model.final === 'unknown';
    // The lost read's error carries the hint (e.g. how to refresh credentials); show it with its reason.
    const hint = model.error?.message === lost.reason ? model.error.hint : undefined;
    const status: Child = el('code', { id: 'situation-status' }, lost.lastKnownStatus ?? l10n.t('unknown'));
    fill(
      this.element,
      // When it has ended, the completion line says "Outcome unknown"; this says why, without repeating it.
      heading('debug-disconnect', ended ? l10n.t('Contact with {0} was lost', model.words.service) : l10n.t('Lost contact with {0}', model.words.service)),
      el('p', { class: 'provider-reason', id: 'situation-reason' }, lost.reason),
      hint ? el('p', { class: 'hint', id: 'situation-hint' }, hint) : undefined,
      el(
        'p',
        { id: 'situation-known' },
        ...withParts(
          ended
            ? l10n.t('Last known {0}: {1}. The deployment may have gone on after Stackwatch stopped asking; check the {2} before deploying again.')
            : l10n.t('Last known {0}: {1}. The deployment may still be running; Stackwatch does not know how it ends.'),
          model.words.state,
          status,
          model.words.target,
        ),
      ),
      ended
        ? undefined
        : el(
            'p',
            { id: 'situation-next' },
            l10n.t(
              'Check Again asks once more (refresh your credentials first if they expired). Record as Unknown stops asking and records the outcome as unknown, not failed.',
            ),
          ),
    );
    if (!prev)
      this.ctx.announcer.announce(
        l10n.t(
          'Lost contact with {0} for {1}; last known {2} {3}.',
          model.words.service,
          model.stackName,
          model.words.state,
          lost.lastKnownStatus ?? l10n.t('unknown'),
        ),
      );
  }
}

/** Who started the other operation, ending the sentence "… is in UPDATE_IN_PROGRESS: an operation …". */
function whoStarted(startedBy: string | undefined, time: string): string {
  if (startedBy) return time ? l10n.t('started by {0} at {1}.', startedBy, time) : l10n.t('started by {0}.', startedBy);
  return time
    ? l10n.t('that began at {0}, which Stackwatch did not start; its events do not say who did.', time)
    : l10n.t('which Stackwatch did not start; its events do not say who did.');
}

function heading(icon: string, text: string): HTMLHeadingElement {
  return el('h2', { id: 'situation-title' }, el('span', { class: 'tone-warning' }, codicon(icon)), el('span', {}, text));
}
