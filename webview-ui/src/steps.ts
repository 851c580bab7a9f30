/**
 * The steps of getting a deployment ready (template, linter, target, staging), each with its
 * state in an icon and in words, a short note, and its time: counting while it runs, on the
 * page's one second timer. Shown while getting ready, and afterwards only while a step still
 * runs or has failed (the linter may still be checking during the review).
 */
import * as l10n from '@vscode/l10n';
import type { MonitorPhase, MonitorViewModel, StepRow } from '../../src/shared/viewModel';
import { codicon, el, fill } from './dom';
import type { Tone } from './icons';
import { durationText } from './rowTiming';
import { changed, type Section, type SectionContext } from './section';

const GETTING_READY: ReadonlySet<MonitorPhase> = new Set(['starting', 'staging', 'consent']);

/** How a step's state looks; its words translated when asked. */
function lookOf(state: StepRow['state']): { icon: string; spin: boolean; tone: Tone; label: string } {
  switch (state) {
    case 'running':
      return { icon: 'loading', spin: true, tone: 'progress', label: l10n.t('Running') };
    case 'done':
      return { icon: 'check', spin: false, tone: 'ok', label: l10n.t({ message: 'Done', comment: ['A getting-ready step that has finished.'] }) };
    case 'failed':
      return { icon: 'error', spin: false, tone: 'error', label: l10n.t('Failed') };
    case 'skipped':
      return { icon: 'circle-slash', spin: false, tone: 'muted', label: l10n.t('Skipped') };
    default:
      return { icon: 'circle-outline', spin: false, tone: 'pending', label: l10n.t('Waiting') };
  }
}

/** "3 s" for a step that ran; the running time for one still running; nothing before it starts. */
export function stepElapsed(step: StepRow, now: number): string {
  if (step.startedAt === undefined) return '';
  const end = step.endedAt ?? (step.state === 'running' ? now : undefined);
  if (end === undefined) return '';
  // A cached or quick step took well under a second: "0 s" would read as not having run.
  return end - step.startedAt < 1000 ? l10n.t({ message: '<1 s', comment: ['Under one second.'] }) : durationText(end - step.startedAt);
}

export function stepsShown(model: MonitorViewModel): boolean {
  const steps = model.steps ?? [];
  if (steps.length === 0) return false;
  if (GETTING_READY.has(model.phase)) return true;
  return model.phase === 'review' && steps.some((step) => step.state === 'running' || step.state === 'failed');
}

/**
 * The step the deployment is on while it gets ready, which the header names: the first one
 * running; the background check only when nothing else runs (it goes on beside the others).
 */
export function currentStep(model: MonitorViewModel): StepRow | undefined {
  if (!stepsShown(model) || model.phase === 'consent') return undefined;
  const running = (model.steps ?? []).filter((step) => step.state === 'running');
  return running.find((step) => step.id !== 'lint') ?? running[0];
}

export class StepList implements Section {
  readonly element = el('section', { class: 'steps', id: 'steps', 'aria-labelledby': 'steps-heading' });
  private readonly list = el('ol', { class: 'step-list', 'aria-labelledby': 'steps-heading' });
  /** The running steps' time cells, refreshed each second. */
  private running: Array<{ step: StepRow; cell: HTMLElement }> = [];
  private readonly tick = (now: number): void => this.refresh(now);

  constructor(private readonly ctx: SectionContext) {
    this.element.append(el('h2', { id: 'steps-heading', class: 'visually-hidden' }, l10n.t('Getting ready')), this.list);
    this.element.hidden = true;
  }

  update(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (!changed(next, prev, 'steps', 'phase')) return;
    const shown = stepsShown(next);
    this.element.hidden = !shown;
    const steps = shown ? (next.steps ?? []) : [];
    const now = Date.now();
    this.running = [];
    fill(this.list, ...steps.map((step) => this.item(step, now)));
    if (this.running.length > 0) this.ctx.ticker.add(this.tick);
    else this.ctx.ticker.remove(this.tick);
  }

  private item(step: StepRow, now: number): HTMLLIElement {
    const look = lookOf(step.state);
    const time = el('span', { class: 'step-time muted' }, stepElapsed(step, now));
    if (step.state === 'running' && step.startedAt !== undefined) this.running.push({ step, cell: time });
    return el(
      'li',
      { class: `step step-${step.state}`, 'data-step': step.id, 'data-state': step.state },
      el('span', { class: `step-icon tone-${look.tone}`, role: 'img', 'aria-label': look.label, title: look.label }, codicon(look.icon, look.spin)),
      el('span', { class: 'step-label' }, step.label),
      step.note ? el('span', { class: 'step-note muted' }, step.note) : undefined,
      time,
    );
  }

  private refresh(now: number): void {
    for (const { step, cell } of this.running) {
      const text = stepElapsed(step, now);
      if (cell.textContent !== text) cell.textContent = text;
    }
  }
}
