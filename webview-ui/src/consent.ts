/** The unrecoverable-stack prompt: what is wrong, the legal ways out, and No. */
import type { RecoveryAction } from '../../src/providers/provider';
import type { MonitorViewModel } from '../../src/ui/viewModel';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import { capitalized, codicon, el, fill } from './dom';
import { changed, type Section, type SectionContext } from './section';

export class ConsentPanel implements Section {
  readonly element = el('section', { class: 'consent', id: 'consent', role: 'alertdialog', 'aria-labelledby': 'consent-title', 'aria-describedby': 'consent-body' });

  constructor(private readonly ctx: SectionContext) {
    this.element.hidden = true;
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (!changed(next, prev, 'consent', 'stackName')) return;
    const consent = next.consent;
    this.element.hidden = !consent;
    if (!consent) {
      this.element.replaceChildren();
      return;
    }
    const actions = consent.actions.map((action) => this.actionButton(action));
    const decline = el('vscode-button', { secondary: true, id: 'consent-decline', 'aria-label': 'No, leave the stack as it is' }, codicon('close'), ' No');
    decline.addEventListener('click', () => this.ctx.post({ type: 'decline' }));
    fill(
      this.element,
      el('h2', { id: 'consent-title' }, codicon('warning'), ` The ${next.words.target} cannot be updated`),
      el(
        'div',
        { id: 'consent-body' },
        el('p', {}, `${capitalized(next.words.target)} `, el('strong', {}, next.stackName), ' is in ', el('code', { id: 'consent-status' }, consent.stackStatus), ', a state it cannot be updated from.'),
        consent.reason ? el('p', { class: 'provider-reason', id: 'consent-reason' }, consent.reason) : undefined,
        consent.actions.length > 0 ? el('p', {}, 'How do you want to continue?') : el('p', {}, 'There is no automatic way out; fix the stack in the console and deploy again.'),
      ),
      el(
        'ul',
        { class: 'consent-actions' },
        ...consent.actions.map((action, i) => el('li', {}, actions[i], el('span', { class: 'action-description', id: `consent-desc-${action.id}` }, action.description))),
      ),
      el('div', { class: 'button-row' }, decline),
    );
    if (!prev?.consent) this.ctx.announcer.announce(`${capitalized(next.words.target)} ${next.stackName} is in ${consent.stackStatus} and needs your decision.`);
    // Focus "No": a stray Enter must never delete a stack. Lit renders (and makes the button
    // focusable) asynchronously, so focus once it has.
    void decline.updateComplete.then(() => decline.focus());
  }

  private actionButton(action: RecoveryAction): VscodeButton {
    const button = el(
      'vscode-button',
      { id: `consent-${action.id}`, class: action.destructive ? 'destructive' : undefined, 'aria-describedby': `consent-desc-${action.id}` },
      codicon(action.destructive ? 'trash' : 'debug-restart'),
      ` ${action.label}`,
    );
    button.addEventListener('click', () => this.ctx.post({ type: 'consent', action: action.id }));
    return button;
  }
}
