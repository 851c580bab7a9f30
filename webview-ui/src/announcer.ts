/** A polite aria-live region: screen readers hear status changes without losing their place. */
import { el } from './dom';

export class Announcer {
  readonly element = el('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', id: 'announcer' });

  announce(text: string): void {
    // Same text twice would not be re-read; clearing first makes each announcement a change.
    if (this.element.textContent === text) this.element.textContent = '';
    this.element.textContent = text;
  }
}
