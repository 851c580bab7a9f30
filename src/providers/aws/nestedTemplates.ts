/**
 * Nested stacks whose TemplateURL is a local file, as `aws cloudformation package` takes them
 * (`TemplateURL: ./nested/network.yaml`). CloudFormation reads nested templates only from S3, so
 * staging uploads each such file (packaged the same way first, for its own nested stacks) to the
 * template bucket under a content-addressed key and submits the parent with the https URL in its
 * place. The files must be in the workspace, like the template itself.
 */
import * as l10n from '@vscode/l10n';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, type Node, type Pair } from 'yaml';
import { checkWorkspaceBoundary, isInside } from '../../input/workspaceBoundary';
import { InputError } from '../../input/inputError';
import type { TemplateSource } from '../provider';
import { AWS_SETTING_KEYS } from './settings';
import { parseCfnYaml, lineAt } from './template/cfnYaml';
import { excerpt } from './template/excerpt';
import { type PutObject, templateKey, templateUrl } from './templateLocation';

/** How deep local nested templates are packaged; a file that includes itself stops here too. */
export const MAX_PACKAGE_DEPTH = 10;

const NESTED_STACK = 'AWS::CloudFormation::Stack';
/** A URL has a scheme ("https://…"); anything else is a path. A Windows drive ("C:\") is a path. */
const HAS_SCHEME = /^[a-z][a-z0-9+.-]+:\/\//i;

export interface LocalTemplateUrl {
  logicalId: string;
  /** As written in the template. */
  url: string;
  /** Character range of the value in the text, quotes included. */
  range: [number, number];
}

/** Nested stacks whose TemplateURL is a local path, in template order. Unparseable text has none. */
export function localTemplateUrls(body: string): LocalTemplateUrl[] {
  const parsed = parseCfnYaml(body);
  if (parsed.errors.length > 0) return [];
  const resources = isMap(parsed.document.contents) ? parsed.document.contents.get('Resources', true) : undefined;
  if (!isMap(resources)) return [];
  const found: LocalTemplateUrl[] = [];
  for (const pair of resources.items as Pair<Node, Node>[]) {
    const logicalId = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const resource = pair.value;
    if (logicalId === undefined || !isMap(resource) || resource.get('Type') !== NESTED_STACK) continue;
    const properties = resource.get('Properties', true);
    const url = isMap(properties) ? properties.get('TemplateURL', true) : undefined;
    if (!isScalar(url) || typeof url.value !== 'string' || !url.range || HAS_SCHEME.test(url.value) || url.value.trim() === '') continue;
    found.push({ logicalId, url: url.value, range: [url.range[0], url.range[1]] });
  }
  return found;
}

/**
 * Pure: each nested stack's logical ID → the workspace file its local TemplateURL names, resolved
 * against the folder of the template at `templatePath`. One level: for deeper nesting, call it
 * again with a nested file's text and path (its keys then go under "Parent/").
 */
export function nestedTemplateFiles(body: string, templatePath: string): Map<string, string> {
  const folder = dirname(templatePath);
  return new Map(localTemplateUrls(body).map((ref) => [ref.logicalId, resolve(folder, ref.url)]));
}

export interface PackageOptions {
  /** Absolute path of the template, whose folder relative TemplateURLs start from. */
  templateFile?: string;
  /** Nested template files must be inside it (checked through symlinks); without it there is no boundary. */
  workspaceFolder?: string;
  bucket?: string;
  region: string;
  stackName: string;
  put: PutObject;
  signal: AbortSignal;
}

/** The template with every local nested TemplateURL uploaded and replaced; the same object when it has none. */
export async function packageNestedTemplates(template: TemplateSource, options: PackageOptions): Promise<TemplateSource> {
  const file = options.templateFile ?? (isAbsolute(template.path) ? template.path : undefined);
  return packageOne(template, file, options, [], 0);
}

async function packageOne(
  template: TemplateSource,
  file: string | undefined,
  options: PackageOptions,
  chain: string[],
  depth: number,
): Promise<TemplateSource> {
  const refs = localTemplateUrls(template.body);
  if (refs.length === 0) return template;
  let body = template.body;
  // From the end, so the earlier ranges stay where they are.
  for (const ref of [...refs].reverse()) {
    const where = { file, displayFile: template.path, line: lineAt(template.body, ref.range[0]), setting: AWS_SETTING_KEYS.templateBucket };
    const url = excerpt(ref.url, 120);
    if (!options.bucket) {
      throw new InputError(
        l10n.t(
          'Nested stack {0} has TemplateURL {1}, a local file; CloudFormation reads nested templates only from S3, and stackwatch.aws.templateBucket is not set.',
          ref.logicalId,
          url,
        ),
        {
          ...where,
          hint: l10n.t(
            'Set {0} to an S3 bucket Stackwatch may upload nested templates to, or upload the file yourself and put its https URL in TemplateURL.',
            AWS_SETTING_KEYS.templateBucket,
          ),
        },
      );
    }
    if (!file) {
      throw new InputError(
        l10n.t("Nested stack {0} has TemplateURL {1}, a local file, but the template's own folder is not known to resolve it from.", ref.logicalId, url),
        where,
      );
    }
    const nestedFile = resolve(dirname(file), ref.url);
    if (depth + 1 > MAX_PACKAGE_DEPTH || chain.includes(nestedFile)) {
      throw new InputError(
        l10n.t(
          'Nested stack {0} has TemplateURL {1}, a local file that nests local templates deeper than {2} levels or includes itself.',
          ref.logicalId,
          url,
          MAX_PACKAGE_DEPTH,
        ),
        where,
      );
    }
    const nested = await readNestedTemplate(nestedFile, ref, template.path, where, options.workspaceFolder);
    const packaged = await packageOne(nested, nestedFile, options, [...chain, nestedFile], depth + 1);
    const target = { bucket: options.bucket, region: options.region, stackName: options.stackName };
    const key = templateKey(options.stackName, packaged);
    options.signal.throwIfAborted();
    await options.put(options.bucket, key, packaged.body, options.signal);
    // A JSON string is a valid YAML scalar too, so one form suits both formats.
    body = body.slice(0, ref.range[0]) + JSON.stringify(templateUrl(target, key)) + body.slice(ref.range[1]);
  }
  return { ...template, body, sizeBytes: Buffer.byteLength(body, 'utf8') };
}

async function readNestedTemplate(
  absPath: string,
  ref: LocalTemplateUrl,
  parentPath: string,
  where: { file?: string; displayFile: string; line: number },
  workspaceFolder: string | undefined,
): Promise<TemplateSource> {
  const fail = (reason: string, hint?: string): never => {
    throw new InputError(l10n.t('Nested stack {0}: {1}', ref.logicalId, reason), { ...where, hint });
  };
  if (workspaceFolder && !isInside(resolve(workspaceFolder), absPath)) {
    fail(
      l10n.t('its TemplateURL {0} is outside the workspace folder.', excerpt(ref.url, 120)),
      l10n.t('Move the nested template into the workspace, so that what is deployed is a file you can see there.'),
    );
  }
  const boundary = await checkWorkspaceBoundary(absPath, workspaceFolder);
  if (!boundary.ok) {
    const url = excerpt(ref.url, 120);
    const reason =
      boundary.kind === 'outside'
        ? l10n.t('its TemplateURL {0} leads outside the workspace (to {1}).', url, excerpt(boundary.realPath))
        : boundary.kind === 'loop'
          ? l10n.t('its TemplateURL {0} is a symlink loop.', url)
          : l10n.t('its TemplateURL {0} is a broken symlink.', url);
    fail(reason, l10n.t('Point TemplateURL at a real file in the workspace.'));
  }
  let body = '';
  try {
    body = await readFile(absPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(
      code === 'ENOENT'
        ? l10n.t('its TemplateURL {0} names no file ({1}).', excerpt(ref.url, 120), excerpt(absPath))
        : l10n.t('cannot read {0}: {1}', excerpt(absPath), excerpt((error as Error).message)),
      l10n.t('TemplateURL is read relative to the folder of {0}.', parentPath),
    );
  }
  const format = /\.json$/i.test(absPath) || /^\uFEFF?\s*\{/.test(body) ? 'json' : 'yaml';
  return { path: absPath, body, format, sizeBytes: Buffer.byteLength(body, 'utf8') };
}

/** Whether a template declares nested stacks (a SAM application becomes one). A mention in a comment only costs an empty flag. */
export function hasNestedStacks(body: string): boolean {
  return /AWS::(CloudFormation::Stack|Serverless::Application)\b/.test(body);
}
