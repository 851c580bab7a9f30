/**
 * Two moments where Stackwatch cannot decide for the person: someone else's operation runs on
 * the target, or contact with the provider was lost after the execute. Each says what is known,
 * what is not, and what the buttons below will do.
 */
import type { MonitorViewModel } from '../../src/ui/viewModel';
import { codicon, el, fill } from './dom';
import { changed, type Section, type SectionContext } from './section';

export class SituationPanel implements Section {
  readonly element = el('section', { class: 'consent situation', id: 'situation', role: 'status', 'aria-labelledby': 'situation-title' });

  constructor(private readonly ctx: SectionContext) {
    this.element.hidden = true;
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (!changed(next, prev, 'otherOperation', 'lostContact', 'stackName')) return;
    const other = next.otherOperation;
    const lost = next.lostContact;
    this.element.hidden = !other && !lost;
    if (other) {
      const who = other.startedBy ? `, started by ${other.startedBy}` : '';
      const when = other.startedAt ? ` at ${new Date(other.startedAt).toLocaleTimeString()}` : '';
      fill(
        this.element,
        el('h2', { id: 'situation-title' }, codicon('warning'), ` Another operation is running on ${next.words.target} ${next.stackName}`),
        el('p', {}, 'It is in ', el('code', { id: 'situation-status' }, other.providerStatus), `${who}${when}. Stackwatch has not staged or changed anything, and will not report its outcome as yours.`),
        el(
          'p',
          { id: 'situation-next' },
          other.watching
            ? 'Waiting for it to end; your deployment starts as soon as it does.'
            : 'Watch it and deploy when it ends, or cancel your deployment.',
        ),
      );
      if (!prev?.otherOperation) this.ctx.announcer.announce(`Another operation is running on ${next.stackName}.`);
      return;
    }
    if (lost) {
      fill(
        this.element,
        el('h2', { id: 'situation-title' }, codicon('question'), next.final === 'unknown' ? ' Outcome unknown' : ' Lost contact'),
        el('p', { id: 'situation-reason' }, lost.reason),
        el(
          'p',
          {},
          'Last known state: ',
          el('code', { id: 'situation-status' }, lost.lastKnownStatus ?? 'unknown'),
          next.final === 'unknown'
            ? '. The deployment may have gone on after Stackwatch stopped asking; check the stack before deploying again.'
            : '. The deployment may still be running. Check Again asks the provider once more (refresh your credentials first if they expired).',
        ),
      );
      if (!prev?.lostContact) this.ctx.announcer.announce(`Lost contact with the provider for ${next.stackName}; the outcome is unknown.`);
      return;
    }
    this.element.replaceChildren();
  }
}
