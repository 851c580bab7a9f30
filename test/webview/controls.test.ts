/** Buttons by phase, what they post, Stop's reasons, and the auto-execute checkbox. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Monitor } from './harness';
import { consentModel, creatingModel, reviewModel, rollingBackModel, stagingModel, succeededModel, updatingModel } from './models';
import { open, useHarness } from './setup';

interface ButtonState {
  id: string;
  text: string;
  disabled: boolean;
  title: string | null;
}

async function buttons(monitor: Monitor): Promise<ButtonState[]> {
  return monitor.page.$$eval('.controls .button-row vscode-button', (elements) =>
    elements.map((element) => ({
      id: element.id,
      text: (element.textContent ?? '').trim(),
      disabled: element.hasAttribute('disabled'),
      title: element.getAttribute('title'),
    })),
  );
}

async function visible(monitor: Monitor, selector: string): Promise<boolean> {
  return monitor.page.locator(selector).isVisible();
}

describe('webview controls', () => {
  const fixture = useHarness();

  it('says ready exactly once, from a single acquireVsCodeApi call, and paints the snapshot', async () => {
    const monitor = await open(fixture);
    assert.deepEqual(await monitor.posted(), [{ type: 'ready' }]);
    assert.equal(await monitor.page.evaluate(() => (window as unknown as { __acquired: number }).__acquired), 1);
    assert.ok(await visible(monitor, '#loading'));
    await monitor.send({ type: 'snapshot', model: reviewModel() });
    assert.ok(!(await visible(monitor, '#loading')));
    assert.equal(await monitor.page.textContent('#stack-name'), 'demo-stack');
    assert.match((await monitor.page.textContent('.header .subtitle')) ?? '', /AWS CloudFormation · us-east-1/);
  });

  it('review: Save Template, Abort Changes, Execute (primary), each posting its message', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: reviewModel() });
    const states = await buttons(monitor);
    assert.deepEqual(
      states.map((b) => [b.id, b.text, b.disabled]),
      [
        ['btn-saveTemplate', 'Save Template', false],
        ['btn-abort', 'Abort Changes', false],
        ['btn-execute', 'Execute', false],
      ],
    );
    assert.equal(await monitor.page.getAttribute('#btn-execute', 'secondary'), null, 'Execute is the primary button');
    await monitor.clearPosted();
    await monitor.page.click('#btn-saveTemplate');
    await monitor.page.click('#btn-abort');
    await monitor.page.click('#btn-execute');
    assert.deepEqual(await monitor.posted(), [{ type: 'saveTemplate' }, { type: 'abort' }, { type: 'execute' }]);
  });

  it('buttons work from the keyboard', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: reviewModel() });
    await monitor.clearPosted();
    await monitor.page.focus('#btn-execute');
    await monitor.page.keyboard.press('Enter');
    assert.deepEqual(await monitor.posted(), [{ type: 'execute' }]);
  });

  it('monitoring a create: Logs…, Save Template, and Stop disabled with the reason as title and helper text', async () => {
    const monitor = await open(fixture);
    const model = creatingModel();
    await monitor.send({ type: 'snapshot', model });
    const states = await buttons(monitor);
    assert.deepEqual(
      states.map((b) => [b.id, b.disabled]),
      [
        ['btn-logs', false],
        ['btn-saveTemplate', false],
        ['btn-stop', true],
      ],
    );
    const reason = model.controls.stop.reason as string;
    assert.equal(states[2]?.title, reason);
    assert.ok(await visible(monitor, '#stop-reason'));
    assert.equal(await monitor.page.textContent('#stop-reason'), reason);
    assert.equal(await monitor.page.getAttribute('#btn-stop', 'aria-describedby'), 'stop-reason');
    await monitor.clearPosted();
    // A real click cannot reach a disabled button (pointer-events: none); a dispatched one can, and must do nothing.
    await monitor.page.dispatchEvent('#btn-stop', 'click');
    await monitor.page.click('#btn-logs');
    assert.deepEqual(await monitor.posted(), [{ type: 'showLogs' }], 'a disabled Stop posts nothing');
    assert.ok(!(await visible(monitor, '#auto-execute')), 'auto-execute no longer matters once executing');
  });

  it('monitoring an update: Stop is enabled, explains itself on hover, and posts stop', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: updatingModel() });
    assert.equal(await monitor.page.getAttribute('#btn-stop', 'disabled'), null);
    assert.match((await monitor.page.getAttribute('#btn-stop', 'title')) ?? '', /rolls the stack back/);
    assert.ok(!(await visible(monitor, '#stop-reason')), 'no helper text when Stop is allowed');
    await monitor.clearPosted();
    await monitor.page.click('#btn-stop');
    assert.deepEqual(await monitor.posted(), [{ type: 'stop' }]);
  });

  it('a delta that only changes what the buttons allow leaves keyboard focus where it was', async () => {
    const monitor = await open(fixture);
    const model = updatingModel();
    await monitor.send({ type: 'snapshot', model });
    await monitor.page.focus('#btn-logs');
    const requested = {
      ...model.controls,
      stop: { ...model.controls.stop, enabled: false, reason: 'Stop requested: CloudFormation is cancelling the update.' },
    };
    await monitor.send({ type: 'delta', delta: { fields: { controls: requested }, rows: [] } });
    assert.notEqual(await monitor.page.getAttribute('#btn-stop', 'disabled'), null);
    assert.equal(await monitor.page.evaluate(() => document.activeElement?.id), 'btn-logs');
  });

  it('rolling back: Stop disabled because a rollback cannot be stopped', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: rollingBackModel() });
    assert.notEqual(await monitor.page.getAttribute('#btn-stop', 'disabled'), null);
    assert.match((await monitor.page.textContent('#stop-reason')) ?? '', /rollback cannot be stopped/);
  });

  it('final: Logs…, Save Template, Done (posting done)', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: succeededModel() });
    assert.deepEqual(
      (await buttons(monitor)).map((b) => [b.id, b.disabled]),
      [
        ['btn-logs', false],
        ['btn-saveTemplate', false],
        ['btn-done', false],
      ],
    );
    await monitor.clearPosted();
    await monitor.page.click('#btn-done');
    assert.deepEqual(await monitor.posted(), [{ type: 'done' }]);
  });

  it('staging shows only Abort Changes; consent shows no phase buttons', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: stagingModel() });
    assert.deepEqual(
      (await buttons(monitor)).map((b) => b.id),
      ['btn-abort'],
    );
    await monitor.send({ type: 'snapshot', model: consentModel() });
    assert.deepEqual(await buttons(monitor), []);
  });

  it('the auto-execute checkbox shows the model and posts setAutoExecute when toggled', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: stagingModel() });
    assert.equal(await monitor.page.$eval('#auto-execute', (element) => (element as HTMLElement & { checked: boolean }).checked), true);
    await monitor.clearPosted();
    await monitor.page.click('#auto-execute');
    await monitor.page.click('#auto-execute');
    assert.deepEqual(await monitor.posted(), [
      { type: 'setAutoExecute', value: false },
      { type: 'setAutoExecute', value: true },
    ]);
    // The host's answer (a delta) moves the checkbox without posting back.
    await monitor.clearPosted();
    await monitor.send({ type: 'delta', delta: { fields: { autoExecute: false }, rows: [] } });
    assert.equal(await monitor.page.$eval('#auto-execute', (element) => (element as HTMLElement & { checked: boolean }).checked), false);
    assert.deepEqual(await monitor.posted(), []);
  });
});
