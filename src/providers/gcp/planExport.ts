/**
 * Save Plan's content: the preview's own plan, as Infrastructure Manager exports it
 * (`previews.export` → signed Cloud Storage URLs for the binary plan and its JSON form,
 * https://cloud.google.com/infrastructure-manager/docs/export-view-preview-results), masked.
 *
 * The signed URL is the authorization: it is fetched without our bearer token (gcloud's
 * `previews export --file` does a plain GET too), and never shown or logged, since anyone holding
 * it can read the plan until it expires. A download that fails or cannot be read decides nothing:
 * it is a retryable error, and asking again exports a fresh URL.
 *
 * Only the JSON form is offered. The binary plan file holds the variables and the prior state
 * with their sensitive values in clear, and cannot be masked without Terraform.
 */
import * as l10n from '@vscode/l10n';
import type { config_v1 } from 'googleapis/build/src/apis/config';
import { ProviderError } from '../provider';
import type { GcpCaller } from './calls';
import { isLoopbackEndpoint } from './loopback';
import { maskTerraformPlan, PLAN_MASK, type JsonObject, type MaskingFacts } from './planMasking';

/** Plans of thousands of resources are a few megabytes; this bounds what one download may hold in memory. */
export const MAX_PLAN_BYTES = 32 * 1024 * 1024;

export interface PlanExportDeps {
  caller: GcpCaller;
  im: config_v1.Config;
  maxBytes?: number;
}

/** Where a signed URL points, for messages: the host only (the query is the credential). */
function hostOf(url: URL): string {
  return url.host;
}

/** Only https, or http to this machine (a local endpoint), may be fetched. */
function checkedUrl(raw: string | null | undefined): URL {
  let url: URL | undefined;
  try {
    url = raw ? new URL(raw) : undefined;
  } catch {
    url = undefined;
  }
  const loopback = url !== undefined && isLoopbackEndpoint(url.href);
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    throw new ProviderError('Transient', l10n.t('previews.export answered without a usable link to the JSON plan; asking again exports a new one.'), {
      providerCode: 'UNREADABLE_RESPONSE',
    });
  }
  return url;
}

async function readBounded(response: Response, maxBytes: number, where: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  const tooLarge = (): ProviderError =>
    new ProviderError(
      'Unsupported',
      l10n.t('The exported plan at {0} is larger than {1} MB; Stackwatch does not save plans that large.', where, Math.round(maxBytes / 1024 / 1024)),
      {
        hint: l10n.t('Export it with `gcloud infra-manager previews export PREVIEW --file=plan` instead.'),
        providerCode: 'PLAN_TOO_LARGE',
      },
    );
  if (declared > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Node's types leave the body's chunks untyped; fetch always reads bytes, which the check below confirms.
  const reader: ReadableStreamDefaultReader<unknown> | undefined = response.body?.getReader();
  if (!reader) return new Uint8Array();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!(value instanceof Uint8Array)) {
      await reader.cancel();
      throw new ProviderError('Transient', l10n.t('The exported plan from {0} did not read as bytes; Save Plan again to retry.', where), {
        providerCode: 'PLAN_DOWNLOAD_FAILED',
      });
    }
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** GET without credentials: `fetch` adds no Authorization header, and redirects are refused. */
async function download(url: URL, signal: AbortSignal, maxBytes: number): Promise<Uint8Array> {
  const where = hostOf(url);
  let response: Response;
  try {
    response = await fetch(url, { method: 'GET', signal, redirect: 'error', headers: { accept: 'application/json' } });
  } catch (error) {
    if (signal.aborted) throw error;
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new ProviderError('Transient', l10n.t('Could not download the exported plan from {0} ({1}); Save Plan again to retry.', where, cause), {
      cause: error,
      providerCode: 'PLAN_DOWNLOAD_FAILED',
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ProviderError(
      'Transient',
      l10n.t('Downloading the exported plan from {0} answered HTTP {1}; Save Plan again to retry (a new link is exported each time).', where, response.status),
      {
        providerCode: 'PLAN_DOWNLOAD_FAILED',
      },
    );
  }
  return readBounded(response, maxBytes, where);
}

/** The JSON form of a Terraform plan, or a retryable error: a cut-off or foreign body decides nothing. */
export function parsePlanJson(bytes: Uint8Array): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || typeof (parsed as { format_version?: unknown }).format_version !== 'string') {
    throw new ProviderError(
      'Transient',
      l10n.t('The exported plan could not be read ({0} bytes that are not a Terraform JSON plan); Save Plan again to retry.', bytes.length),
      {
        providerCode: 'UNREADABLE_RESPONSE',
      },
    );
  }
  return parsed as JsonObject;
}

/** What the saved file says about itself; Terraform's format lets readers ignore unknown keys. */
function notice(preview: string, facts: MaskingFacts): JsonObject {
  const note = facts.variables
    ? l10n.t(
        'Terraform plan (terraform show -json) of Infrastructure Manager preview {0}, exported by Stackwatch. Sensitive values (sensitive variables, values Terraform marks sensitive, sensitive outputs) are replaced with "{1}".',
        preview,
        PLAN_MASK,
      )
    : l10n.t(
        'Terraform plan (terraform show -json) of Infrastructure Manager preview {0}, exported by Stackwatch. The blueprint could not be read to tell which variables are sensitive, so every variable value is replaced with "{1}", as are the values Terraform marks sensitive.',
        preview,
        PLAN_MASK,
      );
  return { note, preview };
}

/** Exports the preview's plan, downloads its JSON form and masks it; the text Save Plan writes. */
export async function exportedPlan(deps: PlanExportDeps, preview: string, facts: MaskingFacts, signal: AbortSignal): Promise<string> {
  const answer = await deps.caller.call('previews.export', signal, (o) => deps.im.projects.locations.previews.export({ parent: preview, requestBody: {} }, o));
  const url = checkedUrl(answer.result?.jsonSignedUri);
  const maxBytes = deps.maxBytes ?? MAX_PLAN_BYTES;
  // Through the caller for its deadline and cancel handling only: the request itself carries no credentials.
  const { bytes } = await deps.caller.call(l10n.t('Downloading the exported plan'), signal, async (o) => ({
    data: { bytes: await download(url, o.signal, maxBytes) },
  }));
  const masked = maskTerraformPlan(parsePlanJson(bytes), facts);
  return `${JSON.stringify({ stackwatch: notice(preview, facts), ...masked }, null, 2)}\n`;
}
