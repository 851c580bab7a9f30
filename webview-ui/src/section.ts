import type { MonitorViewModel } from '../../src/shared/viewModel';
import type { WebviewMessage } from '../../src/shared/protocol';
import type { Announcer } from './announcer';
import type { SecondTicker } from './secondTicker';

/** One part of the page. `prev` is undefined on a full snapshot; otherwise it is the model before the delta. */
export interface Section {
  readonly element: HTMLElement;
  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void;
}

export interface SectionContext {
  post(message: WebviewMessage): void;
  announcer: Announcer;
  /** The page's one second timer, for what counts time between models. */
  ticker: SecondTicker;
}

/**
 * applyDelta keeps untouched fields by reference, so a reference check tells a section whether
 * anything it shows changed, without deep comparison.
 */
export function changed(next: MonitorViewModel, prev: MonitorViewModel | undefined, ...keys: Array<keyof MonitorViewModel>): boolean {
  return prev === undefined || keys.some((key) => next[key] !== prev[key]);
}
