/** Holds the current model and routes snapshots and deltas to the sections that show them. */
import * as l10n from '@vscode/l10n';
import { isHostMessage, type HostMessage, type WebviewMessage } from '../../src/shared/protocol';
import type { MonitorViewModel } from '../../src/shared/viewModel';
import { applyDelta } from '../../src/shared/viewModelDelta';
import { Announcer } from './announcer';
import { ChangeTable } from './changeTable';
import { Completion } from './completion';
import { ConsentPanel } from './consent';
import { Controls } from './controls';
import { DeploymentOptions } from './options';
import { el } from './dom';
import { Findings } from './findings';
import { Header } from './header';
import { AutoExecuteToggle } from './autoExecute';
import { routeLinkClicks } from './links';
import { Messages } from './messages';
import { ProgressSection } from './progress';
import { RetryBanner } from './retryBanner';
import { SecondTicker } from './secondTicker';
import { SituationPanel } from './situation';
import { StepList } from './steps';
import { Timeline } from './timeline';
import type { Section, SectionContext } from './section';

export interface AppOptions {
  post(message: WebviewMessage): void;
  /** Called after every change, so the last model survives the panel being hidden. */
  persist(model: MonitorViewModel): void;
}

/** How long after the last change the model is saved with setState. */
const PERSIST_DELAY_MS = 50;

export class App {
  private persistTimer: number | undefined;
  private model: MonitorViewModel | undefined;
  private readonly sections: Section[];
  private readonly completion: Completion;
  private readonly loading = el('p', { class: 'loading', id: 'loading' }, l10n.t('Connecting to the deployment…'));

  constructor(
    private readonly root: HTMLElement,
    private readonly options: AppOptions,
  ) {
    const announcer = new Announcer();
    const ctx: SectionContext = { post: (message) => options.post(message), announcer, ticker: new SecondTicker() };
    this.completion = new Completion(ctx);
    this.sections = [
      new Header(ctx),
      new AutoExecuteToggle(ctx),
      new RetryBanner(),
      // What validation found is about the staged template itself: read before anything else.
      new Findings(ctx),
      new ConsentPanel(ctx),
      // How it ended comes first; the error and notices explain it.
      this.completion,
      new SituationPanel(ctx),
      new Messages(ctx),
      // Getting ready, then the operation's course: both read before the list they summarise.
      new StepList(ctx),
      new Timeline(ctx),
      new ChangeTable(ctx),
      new ProgressSection(),
      new DeploymentOptions(ctx),
      new Controls(ctx),
    ];
    root.replaceChildren(this.loading, ...this.sections.map((section) => section.element), announcer.element);
    routeLinkClicks(root, (message) => options.post(message));
    // Nothing but "Connecting…" until there is a model to show.
    for (const section of this.sections) section.element.hidden = true;
  }

  /** A message from the host; anything that is not a valid HostMessage is ignored. */
  receive(data: unknown): void {
    if (!isHostMessage(data)) return;
    this.handle(data);
  }

  show(model: MonitorViewModel): void {
    this.render(model, undefined);
  }

  private handle(message: HostMessage): void {
    switch (message.type) {
      case 'snapshot':
        this.render(message.model, undefined);
        break;
      case 'delta':
        // A delta before any snapshot has nothing to apply to; the host sends a snapshot after `ready`.
        if (this.model) this.render(applyDelta(this.model, message.delta), this.model);
        break;
      case 'copied':
        this.completion.copied(message.key);
        break;
    }
  }

  private render(next: MonitorViewModel, prev: MonitorViewModel | undefined): void {
    if (!prev) {
      this.loading.hidden = true;
      for (const section of this.sections) section.element.hidden = false;
    }
    this.model = next;
    for (const section of this.sections) section.update(next, prev);
    this.root.dataset.phase = next.phase;
    this.schedulePersist();
  }

  /**
   * setState serialises the whole model across the webview boundary; doing that once per burst of
   * deltas, not once per delta, keeps a status delta within its 2 ms budget on a 500-row list.
   */
  private schedulePersist(): void {
    if (this.persistTimer !== undefined) return;
    this.persistTimer = window.setTimeout(() => {
      this.persistTimer = undefined;
      if (this.model) this.options.persist(this.model);
    }, PERSIST_DELAY_MS);
  }
}
