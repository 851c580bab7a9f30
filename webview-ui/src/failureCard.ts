/**
 * One failure as the monitor tells it: which resource, its status and reason, and what the
 * provider adds: the hook that failed it (with each annotation and its remediation), the request
 * ID to quote to support, and the property it names. Used by the failure list and the consent.
 */
import * as l10n from '@vscode/l10n';
import type { WebviewMessage } from '../../src/shared/protocol';
import type { FailureReason } from '../../src/shared/viewModel';
import { el, type Child } from './dom';
import { linkified } from './links';

type Hook = NonNullable<FailureReason['hook']>;
type Annotation = NonNullable<Hook['annotations']>[number];

export interface FailureLinks {
  /** Logical IDs the host can open in the template (change rows with a location). */
  located: ReadonlySet<string>;
  post(message: WebviewMessage): void;
}

/** The resource's name: a button that opens the template at it, when the host can. */
export function resourceName(logicalId: string, links: FailureLinks): HTMLElement {
  if (!links.located.has(logicalId)) return el('strong', { class: 'failure-id' }, logicalId);
  const button = el(
    'button',
    { type: 'button', class: 'link-button resource-link failure-id', title: l10n.t('Open {0} in the template', logicalId) },
    logicalId,
  );
  button.addEventListener('click', () => links.post({ type: 'openResource', logicalId }));
  return button;
}

/** The extra lines under a failure's reason: property, hook and request ID, each only when known. */
export function failureExtras(failure: FailureReason): Child[] {
  return [
    failure.propertyPath
      ? el('div', { class: 'failure-property' }, el('span', { class: 'muted' }, l10n.t('Property: ')), el('code', {}, failure.propertyPath))
      : undefined,
    failure.hook ? hookCard(failure.hook) : undefined,
    failure.requestId
      ? el(
          'div',
          { class: 'failure-request' },
          el('span', { class: 'muted' }, l10n.t('Request ID: ')),
          // Selected whole with one click, for quoting to support.
          el('code', { class: 'request-id copyable', title: l10n.t('Select to copy') }, failure.requestId),
        )
      : undefined,
  ];
}

function hookCard(hook: Hook): HTMLElement {
  const annotations = hook.annotations ?? [];
  const facts = [hook.invocationPoint, hook.failureMode ? l10n.t('mode {0}', hook.failureMode) : undefined].filter(Boolean).join(', ');
  return el(
    'div',
    { class: 'hook-card', role: 'group', 'aria-label': l10n.t('Hook {0}', hook.type) },
    el(
      'div',
      { class: 'hook-head' },
      el(
        'span',
        { class: 'muted' },
        l10n.t({ message: 'Hook', comment: ['Label before the type name of a hook (a check the provider runs on each change) that failed.'] }),
      ),
      ' ',
      el('code', { class: 'hook-type' }, hook.type),
      ' ',
      el('span', { class: 'badge badge-danger hook-status' }, hook.status),
      facts ? el('span', { class: 'muted hook-facts' }, ` ${facts}`) : undefined,
    ),
    hook.reason ? el('div', { class: 'hook-reason' }, ...linkified(hook.reason)) : undefined,
    annotations.length > 0
      ? el('ul', { class: 'hook-annotations', 'aria-label': l10n.t('What the hook checked') }, ...annotations.map(annotationItem))
      : undefined,
  );
}

function annotationItem(annotation: Annotation): HTMLLIElement {
  const failed = /fail/i.test(annotation.status ?? '');
  return el(
    'li',
    { class: 'hook-annotation', 'data-name': annotation.name },
    el('strong', { class: 'annotation-name' }, annotation.name),
    annotation.status ? el('span', { class: `badge ${failed ? 'badge-danger' : 'badge-neutral'} annotation-status` }, annotation.status) : undefined,
    annotation.severity ? el('span', { class: 'muted annotation-severity' }, ` ${annotation.severity}`) : undefined,
    annotation.message ? el('div', { class: 'annotation-message' }, ...linkified(annotation.message)) : undefined,
    annotation.remediation || annotation.remediationLink
      ? el(
          'div',
          { class: 'annotation-remediation' },
          el('span', { class: 'muted' }, l10n.t('Remediation: ')),
          ...(annotation.remediation ? linkified(annotation.remediation) : []),
          ...(annotation.remediationLink ? [' ', ...linkified(annotation.remediationLink)] : []),
        )
      : undefined,
  );
}
