/**
 * The two moments that wait for the person: someone else's operation on the target, and lost
 * contact with the provider (ending, if the person says so, with the outcome unknown). Buttons,
 * what they post, where focus goes, what is said and announced, in every theme and at 400 px.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Monitor, Theme } from './harness';
import { CONSOLE_TOKEN, EXPIRED_REASON, lostContactModel, otherOperationModel, unknownModel, updatingModel } from './models';
import { open, useHarness } from './setup';
import { vocabularyOf } from '../../src/ui/vocabulary';

interface ButtonState {
  id: string;
  text: string;
  disabled: boolean;
  primary: boolean;
}

async function buttons(monitor: Monitor): Promise<ButtonState[]> {
  return monitor.page.$$eval('.controls .button-row vscode-button', (elements) =>
    elements.map((element) => ({
      id: element.id,
      text: (element.textContent ?? '').trim(),
      disabled: element.hasAttribute('disabled'),
      primary: !element.hasAttribute('secondary'),
    })),
  );
}

async function focused(monitor: Monitor): Promise<string | undefined> {
  // Focus moves once Lit has rendered the button; wait for that frame, not for a time.
  await monitor.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return monitor.page.evaluate(() => document.activeElement?.id);
}

async function text(monitor: Monitor, selector: string): Promise<string> {
  return ((await monitor.page.textContent(selector)) ?? '').replace(/\s+/g, ' ').trim();
}

/** Records every non-empty text the announcer is given from now on. */
async function listenToAnnouncer(monitor: Monitor): Promise<() => Promise<string[]>> {
  await monitor.page.evaluate(() => {
    const heard: string[] = [];
    (window as unknown as { __heard: string[] }).__heard = heard;
    const announcer = document.getElementById('announcer') as HTMLElement;
    new MutationObserver(() => {
      if (announcer.textContent) heard.push(announcer.textContent);
    }).observe(announcer, { childList: true, characterData: true, subtree: true });
  });
  return async () => {
    // MutationObserver callbacks run as a microtask after the change; one evaluate round-trip is later.
    await monitor.page.evaluate(() => Promise.resolve());
    return monitor.page.evaluate(() => (window as unknown as { __heard: string[] }).__heard.splice(0));
  };
}

describe('webview situations', () => {
  const fixture = useHarness();

  it("someone else's operation: the panel names its status and who started it, and says nothing of ours was staged", async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: otherOperationModel() });
    const panel = monitor.page.locator('#situation');
    assert.ok(await panel.isVisible());
    assert.equal(await text(monitor, '#situation-title'), 'Another operation is running on stack demo-stack');
    assert.equal(await text(monitor, '#situation-status'), 'UPDATE_IN_PROGRESS');
    assert.match(await text(monitor, '#situation-who'), new RegExp(`^started by the AWS console \\(token ${CONSOLE_TOKEN}\\) at `));
    assert.equal(
      await text(monitor, '#situation-ours'),
      'Stackwatch has not staged or changed anything, and will not report that operation’s outcome as yours.',
    );
    assert.match(await text(monitor, '#situation-next'), /^Watch it and deploy yours when it ends, or cancel your deployment\.$/);
    assert.equal(await text(monitor, '#shown-status .status-label'), 'Another operation is running');
    assert.equal(await text(monitor, '#announcer'), 'Another operation is running on demo-stack, in UPDATE_IN_PROGRESS. Nothing of yours was staged.');
    // Not a live region: re-rendered paragraphs would be read again on every change.
    assert.equal(await panel.getAttribute('aria-live'), null);
    assert.notEqual(await panel.getAttribute('role'), 'status');
  });

  it('when the events do not tell who started it, the panel says so instead of guessing', async () => {
    const monitor = await open(fixture);
    const model = otherOperationModel();
    delete model.otherOperation?.startedBy;
    await monitor.send({ type: 'snapshot', model });
    assert.match(await text(monitor, '#situation-who'), /^that began at .+, which Stackwatch did not start; its events do not say who did\.$/);
  });

  it("someone else's operation: Cancel Deployment and Watch, Then Deploy (primary, focused), each posting its message", async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: otherOperationModel() });
    assert.deepEqual(await buttons(monitor), [
      { id: 'btn-cancel', text: 'Cancel Deployment', disabled: false, primary: false },
      { id: 'btn-watchOther', text: 'Watch, Then Deploy', disabled: false, primary: true },
    ]);
    // Watch changes nothing in the cloud: a stray Enter may press it, never Cancel.
    assert.equal(await focused(monitor), 'btn-watchOther');
    assert.equal(await monitor.page.getAttribute('#btn-watchOther', 'aria-describedby'), 'situation-who situation-ours');
    await monitor.clearPosted();
    await monitor.page.keyboard.press('Enter');
    assert.deepEqual(await monitor.posted(), [{ type: 'watchOther' }]);
    await monitor.clearPosted();
    await monitor.page.click('#btn-cancel');
    await monitor.page.click('#btn-watchOther');
    assert.deepEqual(await monitor.posted(), [{ type: 'abort' }, { type: 'watchOther' }]);
    assert.ok(await monitor.page.locator('#auto-execute').isVisible(), 'nothing is staged yet, so auto-execute still applies');
  });

  it('watching: Watch stays in place, disabled as "Watching…"; focus moves to the text that says it waits, so a second Enter does nothing', async () => {
    const monitor = await open(fixture);
    const asking = otherOperationModel();
    await monitor.send({ type: 'snapshot', model: asking });
    assert.equal(await focused(monitor), 'btn-watchOther');
    const hear = await listenToAnnouncer(monitor);
    const watching = otherOperationModel(true);
    await monitor.send({ type: 'delta', delta: { fields: { otherOperation: watching.otherOperation, controls: watching.controls }, rows: [] } });
    assert.deepEqual(await buttons(monitor), [
      { id: 'btn-cancel', text: 'Cancel Deployment', disabled: false, primary: false },
      { id: 'btn-watchOther', text: 'Watching…', disabled: true, primary: true },
    ]);
    assert.match(
      await text(monitor, '#situation-next'),
      /^Waiting for it to end: your deployment starts as soon as it does\. Cancel Deployment stops waiting\.$/,
    );
    assert.ok(await monitor.page.locator('#situation-next .codicon-loading').isVisible());
    assert.match((await monitor.page.getAttribute('#btn-watchOther', 'title')) ?? '', /starts as soon as the other operation ends/);
    assert.equal(await monitor.page.getAttribute('#btn-watchOther', 'aria-describedby'), 'situation-next');
    assert.deepEqual(await hear(), ['Watching: your deployment starts when that operation ends.']);
    assert.equal(await focused(monitor), 'situation-next', 'focus stays on the page, on the text that says what it waits for');
    await monitor.clearPosted();
    await monitor.page.keyboard.press('Enter');
    await monitor.page.dispatchEvent('#btn-watchOther', 'click');
    assert.deepEqual(await monitor.posted(), [], 'a disabled Watch posts nothing');
    await monitor.page.click('#btn-cancel');
    assert.deepEqual(await monitor.posted(), [{ type: 'abort' }], 'Cancel still gets out while watching');
  });

  it('lost contact: Logs…, Save Template, Record as Unknown, Check Again (primary, focused); each posts its message', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: lostContactModel() });
    assert.deepEqual(await buttons(monitor), [
      { id: 'btn-logs', text: 'Logs…', disabled: false, primary: false },
      { id: 'btn-saveTemplate', text: 'Save Template', disabled: false, primary: false },
      { id: 'btn-dismiss', text: 'Record as Unknown', disabled: false, primary: false },
      { id: 'btn-checkAgain', text: 'Check Again', disabled: false, primary: true },
    ]);
    assert.equal(await focused(monitor), 'btn-checkAgain');
    assert.equal(await monitor.page.getAttribute('#btn-checkAgain', 'aria-describedby'), 'situation-known');
    await monitor.clearPosted();
    await monitor.page.keyboard.press('Enter');
    assert.deepEqual(await monitor.posted(), [{ type: 'checkAgain' }], 'Enter on the focused button asks again, nothing else');
    await monitor.clearPosted();
    await monitor.page.click('#btn-logs');
    await monitor.page.click('#btn-dismiss');
    await monitor.page.click('#btn-checkAgain');
    assert.deepEqual(await monitor.posted(), [{ type: 'showLogs' }, { type: 'dismiss' }, { type: 'checkAgain' }]);
    assert.ok(!(await monitor.page.locator('#auto-execute').isVisible()), 'the change set was executed: auto-execute no longer applies');
    assert.ok(!(await monitor.page.locator('#btn-stop').isVisible()), 'no Stop while nobody can reach the provider');
  });

  it('lost contact: the panel gives the reason, the hint, the last known state, and what each button does', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: lostContactModel() });
    assert.equal(await text(monitor, '#situation-title'), 'Lost contact with AWS CloudFormation');
    assert.equal(await text(monitor, '#situation-reason'), EXPIRED_REASON);
    assert.match(await text(monitor, '#situation-hint'), /aws sso login/);
    assert.equal(await text(monitor, '#situation-status'), 'UPDATE_IN_PROGRESS');
    assert.equal(
      await text(monitor, '#situation-known'),
      'Last known stack state: UPDATE_IN_PROGRESS. The deployment may still be running; Stackwatch does not know how it ends.',
    );
    assert.match(
      await text(monitor, '#situation-next'),
      /Check Again asks once more .* Record as Unknown stops asking and records the outcome as unknown, not failed\./,
    );
    assert.equal(await monitor.page.getAttribute('#overall-status', 'aria-label'), 'Status: Lost contact');
    assert.ok(await monitor.page.locator('#overall-status .codicon-debug-disconnect').isVisible());
  });

  it('lost contact: the reason is on the page once, not again as an error banner', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: lostContactModel() });
    const times = await monitor.page.evaluate((reason) => document.body.innerText.split(reason).length - 1, EXPIRED_REASON);
    assert.equal(times, 1);
  });

  it('Check Again can be reached with Tab from the top of the page', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: lostContactModel() });
    await monitor.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const seen: Array<string | undefined> = [];
    // Bounded: the page has a handful of focusable things (row details, status icons, buttons).
    for (let i = 0; i < 40 && seen.at(-1) !== 'btn-checkAgain'; i++) {
      await monitor.page.keyboard.press('Tab');
      seen.push(await monitor.page.evaluate(() => document.activeElement?.id));
    }
    assert.equal(seen.at(-1), 'btn-checkAgain', `Tab order: ${seen.join(', ')}`);
    assert.ok(seen.includes('btn-dismiss'), 'Record as Unknown is reachable too');
    await monitor.clearPosted();
    await monitor.page.keyboard.press(' ');
    assert.deepEqual(await monitor.posted(), [{ type: 'checkAgain' }]);
  });

  it('outcome unknown: the completion says so with the last known state, the panel says why, and Done ends it', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: unknownModel() });
    assert.equal(
      await text(monitor, '#final-status'),
      'Outcome unknown: Stackwatch lost contact before the deployment ended — last known stack state UPDATE_IN_PROGRESS',
    );
    assert.equal(await text(monitor, '#situation-title'), 'Contact with AWS CloudFormation was lost');
    assert.equal(await text(monitor, '#situation-reason'), EXPIRED_REASON);
    assert.equal(
      await text(monitor, '#situation-known'),
      'Last known stack state: UPDATE_IN_PROGRESS. The deployment may have gone on after Stackwatch stopped asking; check the stack before deploying again.',
    );
    assert.equal(await monitor.page.locator('#situation-next').count(), 0, 'no buttons left to explain');
    assert.equal(await monitor.page.getAttribute('#overall-status', 'aria-label'), 'Status: Outcome unknown');
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

  it("on Google Cloud it speaks Infrastructure Manager's words: the service, the deployment, and its status", async () => {
    const monitor = await open(fixture);
    const gcp = { provider: 'gcp' as const, words: vocabularyOf('gcp'), stackName: 'orders-gcp', providerStatus: 'UPDATING' };
    const lost = lostContactModel();
    await monitor.send({
      type: 'snapshot',
      model: {
        ...lost,
        ...gcp,
        lostContact: { reason: 'Deadline exceeded', lastKnownStatus: 'UPDATING' },
        error: { code: 'Transient', message: 'Deadline exceeded', retryable: true },
      },
    });
    assert.equal(await text(monitor, '#situation-title'), 'Lost contact with Google Cloud Infrastructure Manager');
    assert.match(await text(monitor, '#situation-known'), /^Last known status: UPDATING\. /);
    assert.equal(await monitor.page.locator('#situation-hint').count(), 0, 'no hint when the error has none');
    await monitor.send({ type: 'snapshot', model: { ...unknownModel(), ...gcp, lostContact: { reason: 'Deadline exceeded', lastKnownStatus: 'UPDATING' } } });
    assert.match(await text(monitor, '#situation-known'), /check the deployment before deploying again\.$/);
    assert.match(await text(monitor, '#final-status'), /— last known status UPDATING$/);
    const other = otherOperationModel();
    await monitor.send({ type: 'snapshot', model: { ...other, ...gcp, otherOperation: { providerStatus: 'UPDATING', watching: false } } });
    assert.equal(await text(monitor, '#situation-title'), 'Another operation is running on deployment orders-gcp');
    assert.match(
      await text(monitor, '#situation-title + p'),
      /^Deployment orders-gcp is in UPDATING: an operation which Stackwatch did not start; its events do not say who did\.$/,
    );
  });

  it('each change of situation is announced once: losing contact, recording it as unknown, and another operation found', async () => {
    const monitor = await open(fixture);
    await monitor.send({ type: 'snapshot', model: updatingModel() });
    const hear = await listenToAnnouncer(monitor);
    const lost = lostContactModel();
    await monitor.send({
      type: 'delta',
      delta: {
        fields: {
          phase: lost.phase,
          shown: lost.shown,
          controls: lost.controls,
          lostContact: lost.lostContact,
          error: lost.error,
          autoExecute: lost.autoExecute,
        },
        rows: [],
      },
    });
    assert.deepEqual(await hear(), ['demo-stack: Lost contact']);
    assert.equal(await focused(monitor), 'btn-checkAgain', 'entering lost contact moves focus to Check Again');
    const unknown = unknownModel();
    await monitor.send({
      type: 'delta',
      delta: { fields: { phase: unknown.phase, shown: unknown.shown, activity: unknown.activity, final: unknown.final, controls: unknown.controls }, rows: [] },
    });
    assert.deepEqual(await hear(), ['demo-stack: Outcome unknown']);

    const other = otherOperationModel();
    await monitor.send({ type: 'snapshot', model: { ...other, phase: 'starting', shown: 'preparing', activity: 'preparing', otherOperation: undefined } });
    await hear();
    await monitor.send({
      type: 'delta',
      delta: { fields: { phase: other.phase, shown: other.shown, activity: other.activity, otherOperation: other.otherOperation }, rows: [] },
    });
    assert.deepEqual(await hear(), ['demo-stack: Another operation is running']);
    // The operation ended and ours goes on: the panel goes, and nothing else is said by it.
    await monitor.send({ type: 'delta', delta: { fields: { phase: 'staging', shown: 'staging', activity: 'staging', otherOperation: null }, rows: [] } });
    assert.ok(!(await monitor.page.locator('#situation').isVisible()));
    assert.deepEqual(await hear(), ['demo-stack: Creating the change set']);
  });

  for (const theme of ['dark', 'light', 'hc-dark', 'hc-light'] as Theme[]) {
    it(`renders in the ${theme} theme: the heading icon has a warning colour and sits on the heading line, the status is a code span`, async () => {
      const monitor = await open(fixture, { theme });
      for (const model of [otherOperationModel(), lostContactModel(), unknownModel()]) {
        await monitor.send({ type: 'snapshot', model });
        await monitor.page.evaluate(() => document.fonts.ready);
        const look = await monitor.page.evaluate(() => {
          const icon = document.querySelector('#situation-title .codicon') as HTMLElement;
          const title = document.querySelector('#situation-title') as HTMLElement;
          const code = document.querySelector('#situation-status') as HTMLElement;
          const iconBox = icon.getBoundingClientRect();
          const titleBox = title.getBoundingClientRect();
          const lineHeight = parseFloat(getComputedStyle(title).lineHeight);
          return {
            iconColor: getComputedStyle(icon).color,
            textColor: getComputedStyle(title).color,
            iconWidth: iconBox.width,
            // The icon's box is one heading line, at the heading's top.
            iconTop: iconBox.top - titleBox.top,
            iconHeight: iconBox.height,
            lineHeight,
            codeFont: getComputedStyle(code).fontFamily,
            bodyFont: getComputedStyle(document.body).fontFamily,
          };
        });
        assert.notEqual(look.iconColor, look.textColor, 'the icon has the warning tone');
        assert.ok(look.iconWidth >= 14, `the codicon glyph rendered (${look.iconWidth}px wide)`);
        assert.ok(
          Math.abs(look.iconTop) <= 1 && Math.abs(look.iconHeight - look.lineHeight) <= 1,
          `icon box ${look.iconTop}+${look.iconHeight} on a ${look.lineHeight}px line`,
        );
        assert.notEqual(look.codeFont, look.bodyFont, 'the status is in the editor font');
      }
      assert.ok(await monitor.page.evaluate(() => document.fonts.check('16px codicon')));
    });
  }

  it('at 400 px the panels wrap, including the long console token, and nothing scrolls sideways', async () => {
    const monitor = await open(fixture, { width: 400 });
    for (const model of [otherOperationModel(), otherOperationModel(true), lostContactModel(), unknownModel()]) {
      await monitor.send({ type: 'snapshot', model });
      const sizes = await monitor.page.evaluate(() => {
        const panel = document.querySelector('#situation') as HTMLElement;
        const row = document.querySelector('.controls .button-row') as HTMLElement;
        const overflowing = [...panel.querySelectorAll('*'), panel]
          .filter((element) => element.getBoundingClientRect().right > panel.getBoundingClientRect().right + 0.5)
          .map((element) => element.id || element.className || element.tagName);
        return {
          panel: [panel.scrollWidth, panel.clientWidth],
          page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
          row: [row.scrollWidth, row.clientWidth],
          overflowing,
        };
      });
      assert.ok(sizes.panel[0] <= sizes.panel[1], `situation panel scrolls sideways (${sizes.panel.join(' > ')}), model ${model.phase}`);
      assert.deepEqual(sizes.overflowing, [], 'nothing sticks out of the panel');
      assert.ok(sizes.page[0] <= sizes.page[1], `the page scrolls sideways (${sizes.page.join(' > ')}), model ${model.phase}`);
      assert.ok(sizes.row[0] <= sizes.row[1], 'the buttons wrap instead of overflowing');
    }
  });
});
