/**
 * The running operation's course: elapsed time, "about 2 min left · ends about 14:05" (or "taking
 * longer than expected"), and a bar that fills with elapsed over expected. The host moves the
 * estimate as events arrive; between models the page counts on its own clock, once a second.
 * Without an estimate it shows only the elapsed time. The bar is a progressbar with the same words
 * as its value text, so nothing depends on colour or on seeing the bar.
 */
import * as l10n from '@vscode/l10n';
import type { MonitorViewModel, TimelineView } from '../../src/shared/viewModel';
import { el } from './dom';
import { durationText, localClock, roughDuration } from './rowTiming';
import { changed, type Section, type SectionContext } from './section';

export interface TimelineWords {
  elapsed: string;
  /** Empty when nothing is known to estimate. */
  eta: string;
  /** Elapsed over expected, 0–1; undefined without an estimate. */
  fraction?: number;
  late: boolean;
}

/** What the estimate is based on, as the timeline's tooltip says it. */
function basisText(basis: TimelineView['basis']): string {
  switch (basis) {
    case 'history':
      return l10n.t("Estimated from this workspace's earlier deployments");
    case 'defaults':
      return l10n.t('Estimated from typical durations for these resource types');
    case 'mixed':
      return l10n.t("Estimated from this workspace's earlier deployments and typical durations");
    default:
      return '';
  }
}

export function timelineWords(timeline: TimelineView, now: number): TimelineWords {
  const { startedAt, expectedEndAt, endedAt } = timeline;
  const expectedTotal = expectedEndAt === undefined ? undefined : Math.max(1, expectedEndAt - startedAt);
  if (endedAt !== undefined) {
    return {
      elapsed: l10n.t('Took {0}', durationText(endedAt - startedAt)),
      eta: expectedTotal === undefined ? '' : l10n.t('expected about {0}', roughDuration(expectedTotal)),
      fraction: 1,
      late: false,
    };
  }
  const elapsedMs = Math.max(0, now - startedAt);
  const elapsed = l10n.t('{0} elapsed', durationText(elapsedMs));
  if (expectedEndAt === undefined || expectedTotal === undefined) return { elapsed, eta: '', late: false };
  if (now >= expectedEndAt) return { elapsed, eta: l10n.t('Taking longer than expected (about {0})', roughDuration(expectedTotal)), fraction: 1, late: true };
  return {
    elapsed,
    eta: l10n.t('About {0} left · ends about {1}', roughDuration(expectedEndAt - now), localClock(expectedEndAt)),
    fraction: Math.min(1, elapsedMs / expectedTotal),
    late: false,
  };
}

export class Timeline implements Section {
  readonly element = el('section', { class: 'timeline', id: 'timeline', 'aria-label': l10n.t('Timeline') });
  private readonly elapsed = el('span', { class: 'timeline-elapsed', id: 'timeline-elapsed' });
  private readonly eta = el('span', { class: 'timeline-eta', id: 'timeline-eta' });
  private readonly fill = el('div', { class: 'timeline-fill' });
  private readonly bar = el(
    'div',
    {
      class: 'timeline-bar',
      id: 'timeline-bar',
      role: 'progressbar',
      'aria-label': l10n.t({ message: 'Time', comment: ['Name of the bar that shows how much of the expected time has passed.'] }),
      'aria-valuemin': 0,
      'aria-valuemax': 100,
    },
    this.fill,
  );
  private timeline: TimelineView | undefined;
  private readonly tick = (now: number): void => this.draw(now);

  constructor(private readonly ctx: SectionContext) {
    this.element.append(el('div', { class: 'timeline-text' }, this.elapsed, this.eta), this.bar);
    this.element.hidden = true;
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (!changed(next, prev, 'timeline')) return;
    this.timeline = next.timeline;
    this.element.hidden = !next.timeline;
    if (next.timeline) {
      this.element.title = basisText(next.timeline.basis);
      this.draw(Date.now());
    }
    if (next.timeline && next.timeline.endedAt === undefined) this.ctx.ticker.add(this.tick);
    else this.ctx.ticker.remove(this.tick);
  }

  /** Writes only what changed: this runs every second for the whole deployment. */
  private draw(now: number): void {
    if (!this.timeline) return;
    const words = timelineWords(this.timeline, now);
    setText(this.elapsed, words.elapsed);
    setText(this.eta, words.eta);
    this.element.classList.toggle('late', words.late);
    this.element.classList.toggle('ended', this.timeline.endedAt !== undefined);
    const valueText = words.eta
      ? l10n.t({ message: '{0}; {1}', args: [words.elapsed, words.eta], comment: ['Read by screen readers: the time elapsed, then the estimate.'] })
      : words.elapsed;
    if (this.bar.getAttribute('aria-valuetext') !== valueText) this.bar.setAttribute('aria-valuetext', valueText);
    if (words.fraction === undefined) {
      // No estimate: an empty track, and no value (a progressbar without one is indeterminate).
      this.bar.removeAttribute('aria-valuenow');
      this.fill.style.transform = 'scaleX(0)';
      return;
    }
    this.bar.setAttribute('aria-valuenow', String(Math.round(words.fraction * 100)));
    // Through the CSSOM, which the CSP allows (it forbids style attributes); a transform moves no layout.
    this.fill.style.transform = `scaleX(${words.fraction.toFixed(4)})`;
  }
}

function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}
