/**
 * A polite aria-live region: screen readers hear status changes without losing their place. What
 * one update announces is said together: the header says the phase first and the rows that changed
 * with it follow, where the last one used to replace the phase ("Succeeded" was never heard).
 */
import { el } from './dom';

export class Announcer {
  readonly element = el('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true', id: 'announcer' });
  private pending: string[] = [];

  announce(text: string): void {
    this.pending.push(text);
    // Sections update one after another in the same task; speak once they all have.
    if (this.pending.length === 1) queueMicrotask(() => this.flush());
  }

  private flush(): void {
    const texts = this.pending;
    this.pending = [];
    const text = texts.length === 1 ? (texts[0] ?? '') : texts.map((t) => (/[.!?]$/.test(t) ? t : `${t}.`)).join(' ');
    // Same text twice would not be re-read; clearing first makes each announcement a change.
    if (this.element.textContent === text) this.element.textContent = '';
    this.element.textContent = text;
  }
}
