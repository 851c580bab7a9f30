/**
 * Getting ready, as the host's real view model draws it on both providers: the header names the
 * step that runs (the same words as the step list), the background check says it runs alongside
 * and that Execute waits for it, and there is no change table until there is a change set.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { DeploymentContext } from '../../src/deployment/machine';
import type { ActivityStatus } from '../../src/deployment/status';
import type { ProviderKind } from '../../src/providers/provider';
import type { MonitorViewModel } from '../../src/shared/viewModel';
import { toViewModel } from '../../src/ui/viewModel';
import { INITIALIZED, described } from '../support/deploymentFixtures';
import { initialContext, snapshotIn } from '../support/uiSnapshots';
import { NOW } from './depthModels';
import { open, useHarness } from './setup';

const S = 1000;
const LINT = { label: 'Checking with cfn-lint', state: 'running', round: 0, startedAt: NOW - 3 * S } as const;
const LOADED = { template: { startedAt: NOW - 9 * S, endedAt: NOW - 6 * S } };
const READ = { ...LOADED, target: { startedAt: NOW - 6 * S, endedAt: NOW - 5 * S } };

interface Case {
  name: string;
  state: string;
  activity: ActivityStatus;
  context: Partial<DeploymentContext>;
  /** The step the header names, by id. */
  running: string;
}

const CASES: Case[] = [
  {
    name: 'loading the template',
    state: 'initializing',
    activity: 'initializing',
    context: { readiness: { template: { startedAt: NOW - 2 * S } } },
    running: 'template',
  },
  {
    name: 'reading the target, the linter beside it',
    state: 'preparing',
    activity: 'preparing',
    context: { initialized: INITIALIZED, check: LINT, readiness: { ...LOADED, target: { startedAt: NOW - 2 * S } } },
    running: 'target',
  },
  {
    name: 'deleting the old target after the consent',
    state: 'recreating',
    activity: 'recreating',
    context: {
      initialized: INITIALIZED,
      described: described.unrecoverable,
      chosenRecovery: 'delete',
      readiness: { ...READ, recover: { startedAt: NOW - 4 * S } },
    },
    running: 'recover',
  },
  {
    name: 'creating the change set, the linter beside it',
    state: 'staging',
    activity: 'staging',
    context: { initialized: INITIALIZED, check: LINT, described: described.missing, readiness: { ...READ, stage: { startedAt: NOW - 4 * S } } },
    running: 'stage',
  },
];

function modelOf(provider: ProviderKind, c: Case): MonitorViewModel {
  const base = initialContext();
  const snapshot = snapshotIn(c.state, {
    ...c.context,
    target: { provider, name: 'orders', region: 'us-central1' },
    changes: [],
    status: { ...base.status, activity: c.activity },
  });
  return toViewModel(snapshot, NOW);
}

async function seen(page: Page) {
  return {
    header: (await page.textContent('#shown-status .status-label')) ?? '',
    running: await page.$$eval('#steps .step[data-state="running"]', (items) =>
      items.map((item) => ({
        id: item.getAttribute('data-step'),
        label: item.querySelector('.step-label')?.textContent ?? '',
        note: item.querySelector('.step-note')?.textContent ?? '',
        time: item.querySelector('.step-time')?.textContent ?? '',
      })),
    ),
    tableShown: await page.locator('#change-table').isVisible(),
    changesShown: await page.locator('#changes-heading').isVisible(),
    text: await page.evaluate(() => document.body.innerText),
  };
}

describe('webview getting ready', () => {
  const fixture = useHarness();

  for (const provider of ['aws', 'gcp'] as const) {
    for (const c of CASES) {
      it(`${provider}, ${c.name}: the header names the running step, and no change table shows yet`, async () => {
        const monitor = await open(fixture, { timezoneId: 'UTC' });
        await monitor.page.clock.install({ time: NOW });
        const model = modelOf(provider, c);
        await monitor.send({ type: 'snapshot', model });
        const view = await seen(monitor.page);
        const step = view.running.find((row) => row.id === c.running);
        assert.ok(step, `the ${c.running} step runs: ${JSON.stringify(view.running)}`);
        assert.equal(view.header, step.label, 'the header says what the step list says');
        assert.match(step.time, /^\d+ s$/, 'with its elapsed time');
        assert.equal(view.tableShown, false, 'no change table before there is a change set');
        assert.equal(view.changesShown, false, 'no "Changes to deploy (0)"');
        assert.doesNotMatch(view.text, /Preparing the (change set|preview)|Changes to deploy \(0\)/);
        const lint = view.running.find((row) => row.id === 'lint');
        if (c.context.check) assert.equal(lint?.note, 'runs alongside; Execute waits for it', 'the linter says it runs and holds Execute');
      });
    }
  }

  it('names the provider’s own steps: the blueprint and the preview on Google Cloud, the change set on AWS', async () => {
    const monitor = await open(fixture);
    const staging = CASES[3];
    await monitor.send({ type: 'snapshot', model: modelOf('gcp', staging) });
    assert.equal(await monitor.page.textContent('#shown-status .status-label'), 'Creating the preview');
    assert.equal(await monitor.page.textContent('[data-step="template"] .step-label'), 'Reading the blueprint and checking its inputs');
    await monitor.send({ type: 'snapshot', model: modelOf('aws', CASES[2]) });
    assert.equal(await monitor.page.textContent('#shown-status .status-label'), 'Deleting the old stack');
    assert.equal(await monitor.page.textContent('[data-step="template"] .step-label'), 'Loading the template and validating it with CloudFormation');
  });

  it('the consent waits for the person: the header asks for a decision, and no step spins', async () => {
    const monitor = await open(fixture);
    const model = modelOf('aws', {
      name: 'consent',
      state: 'awaitingConsent',
      activity: 'awaitingConsent',
      context: { initialized: INITIALIZED, described: described.unrecoverable, readiness: READ },
      running: '',
    });
    await monitor.send({ type: 'snapshot', model });
    assert.equal(await monitor.page.textContent('#shown-status .status-label'), 'Needs your decision');
    assert.equal(await monitor.page.locator('#steps .step[data-state="running"]').count(), 0);
    assert.equal(await monitor.page.locator('#change-table').isVisible(), false);
  });

  it('a change of step is announced with the step’s words', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: modelOf('aws', CASES[1]) });
    const next = modelOf('aws', CASES[3]);
    await monitor.send({ type: 'delta', delta: { fields: { steps: next.steps, activity: next.activity, shown: next.shown, phase: next.phase }, rows: [] } });
    await monitor.page.waitForFunction(() => document.querySelector('#announcer')?.textContent?.includes('Creating the change set') === true);
  });
});
