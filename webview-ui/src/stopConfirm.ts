/**
 * The question a stop that cannot be undone asks first, in the page beside the Stop button. The
 * safe answer has the focus, as in the consent: a stray Enter or Escape keeps the deployment
 * going, and only the destructive button, pressed on purpose, stops it.
 */
import type { StopQuestion } from '../../src/shared/viewModel';
import { codicon, el, fill } from './dom';

export class StopConfirm {
  readonly element = el('section', {
    class: 'consent stop-confirm',
    id: 'stop-confirm',
    role: 'alertdialog',
    'aria-labelledby': 'stop-confirm-title',
    'aria-describedby': 'stop-confirm-detail',
  });
  private question: StopQuestion | undefined;

  /** `onConfirm` sends the stop; `onClose` gives the focus back (to the Stop button). */
  constructor(
    private readonly onConfirm: () => void,
    private readonly onClose: () => void,
  ) {
    this.element.hidden = true;
    this.element.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      this.close(true);
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  open(question: StopQuestion): void {
    this.question = question;
    const keep = el('vscode-button', { id: 'stop-keep' }, codicon('debug-continue'), ` ${question.keep}`);
    const confirm = el('vscode-button', { secondary: true, id: 'stop-confirm-yes', class: 'destructive' }, codicon('debug-stop'), ` ${question.confirm}`);
    keep.addEventListener('click', () => this.close(true));
    confirm.addEventListener('click', () => {
      this.close(false);
      this.onConfirm();
    });
    fill(
      this.element,
      el('h2', { id: 'stop-confirm-title' }, codicon('warning'), ` ${question.message}`),
      el('p', { id: 'stop-confirm-detail' }, question.detail),
      el('div', { class: 'button-row' }, keep, confirm),
    );
    this.element.hidden = false;
    // Lit renders (and makes the button focusable) asynchronously, so focus once it has.
    void keep.updateComplete.then(() => {
      if (keep.isConnected) keep.focus();
    });
  }

  /** Closes it; `refocus` when the person answered Keep (or the question went away under the focus). */
  close(refocus: boolean): void {
    if (!this.isOpen) return;
    const hadFocus = this.element.contains(document.activeElement);
    this.element.hidden = true;
    this.element.replaceChildren();
    this.question = undefined;
    if (refocus && hadFocus) this.onClose();
  }

  /** The question the page shows now, if any. */
  get asked(): StopQuestion | undefined {
    return this.question;
  }
}
