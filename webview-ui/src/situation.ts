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
import type { LostContact, MonitorViewModel, OtherOperation } from '../../src/shared/viewModel';
import { capitalized, codicon, el, fill, type Child } from './dom';
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
    const when = other.startedAt ? ` at ${new Date(other.startedAt).toLocaleTimeString()}` : '';
    fill(
      this.element,
      heading('warning', `Another operation is running on ${model.words.target} ${model.stackName}`),
      el(
        'p',
        {},
        `${capitalized(model.words.target)} `,
        el('strong', {}, model.stackName),
        ' is in ',
        el('code', { id: 'situation-status' }, other.providerStatus),
        ': an operation ',
        el(
          'span',
          { id: 'situation-who' },
          other.startedBy
            ? `started by ${other.startedBy}${when}.`
            : `${when ? `that began${when}, ` : ''}which Stackwatch did not start; its events do not say who did.`,
        ),
      ),
      el('p', { id: 'situation-ours' }, 'Stackwatch has not staged or changed anything, and will not report that operation’s outcome as yours.'),
      el(
        'p',
        // Focusable from script only: where focus lands once Watch is pressed and disabled.
        { id: 'situation-next', class: other.watching ? 'waiting' : undefined, tabindex: other.watching ? -1 : undefined },
        other.watching ? codicon('loading', true) : undefined,
        other.watching
          ? ' Waiting for it to end: your deployment starts as soon as it does. Cancel Deployment stops waiting.'
          : 'Watch it and deploy yours when it ends, or cancel your deployment.',
      ),
    );
    if (!prev) this.ctx.announcer.announce(`Another operation is running on ${model.stackName}, in ${other.providerStatus}. Nothing of yours was staged.`);
    else if (other.watching && prev.otherOperation?.watching === false)
      this.ctx.announcer.announce('Watching: your deployment starts when that operation ends.');
  }

  private showLostContact(model: MonitorViewModel, lost: LostContact, prev: MonitorViewModel | undefined): void {
    const ended = model.final === 'unknown';
    // The lost read's error carries the hint (e.g. how to refresh credentials); show it with its reason.
    const hint = model.error?.message === lost.reason ? model.error.hint : undefined;
    const status: Child = el('code', { id: 'situation-status' }, lost.lastKnownStatus ?? 'unknown');
    fill(
      this.element,
      // When it has ended, the completion line says "Outcome unknown"; this says why, without repeating it.
      heading('debug-disconnect', ended ? `Contact with ${model.words.service} was lost` : `Lost contact with ${model.words.service}`),
      el('p', { class: 'provider-reason', id: 'situation-reason' }, lost.reason),
      hint ? el('p', { class: 'hint', id: 'situation-hint' }, hint) : undefined,
      el(
        'p',
        { id: 'situation-known' },
        `Last known ${model.words.state}: `,
        status,
        ended
          ? '. The deployment may have gone on after Stackwatch stopped asking; check the ' + model.words.target + ' before deploying again.'
          : '. The deployment may still be running; Stackwatch does not know how it ends.',
      ),
      ended
        ? undefined
        : el(
            'p',
            { id: 'situation-next' },
            'Check Again asks once more (refresh your credentials first if they expired). Record as Unknown stops asking and records the outcome as unknown, not failed.',
          ),
    );
    if (!prev)
      this.ctx.announcer.announce(
        `Lost contact with ${model.words.service} for ${model.stackName}; last known ${model.words.state} ${lost.lastKnownStatus ?? 'unknown'}.`,
      );
  }
}

function heading(icon: string, text: string): HTMLHeadingElement {
  return el('h2', { id: 'situation-title' }, el('span', { class: 'tone-warning' }, codicon(icon)), el('span', {}, text));
}
