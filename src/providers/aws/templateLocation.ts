/**
 * Where CloudFormation reads a template from: inline up to its 51,200-byte limit, else from an
 * S3 bucket the user named. Uploads are content-addressed, so a retry or a second deployment
 * of the same template writes the same object.
 */
import * as l10n from '@vscode/l10n';
import { createHash } from 'node:crypto';
import { ProviderError, type TemplateSource } from '../provider';

export const TEMPLATE_BODY_LIMIT_BYTES = 51_200;

export interface TemplateArgs {
  TemplateBody?: string;
  TemplateURL?: string;
}

export interface UploadTarget {
  bucket?: string;
  region: string;
  stackName: string;
}

export type PutObject = (bucket: string, key: string, body: string, signal: AbortSignal) => Promise<void>;

export function templateKey(stackName: string, template: TemplateSource): string {
  const digest = createHash('sha256').update(template.body).digest('hex').slice(0, 32);
  const extension = template.format === 'json' ? 'json' : 'yaml';
  return `stackwatch/${stackName}/${digest}.${extension}`;
}

export function templateUrl(target: UploadTarget, key: string): string {
  if (!target.bucket) throw new Error('templateUrl needs a bucket'); // l10n-exempt: a programmer's mistake (callers check the bucket first)
  // The standard virtual-hosted form even with a custom endpoint: emulators map it to their own S3.
  return `https://${target.bucket}.s3.${target.region}.amazonaws.com/${key}`;
}

export async function templateArgs(template: TemplateSource, target: UploadTarget, put: PutObject, signal: AbortSignal): Promise<TemplateArgs> {
  if (template.sizeBytes <= TEMPLATE_BODY_LIMIT_BYTES) return { TemplateBody: template.body };
  if (!target.bucket) {
    throw new ProviderError(
      'Validation',
      l10n.t(
        '{0} is {1} bytes; CloudFormation accepts at most {2} bytes inline.',
        template.path,
        template.sizeBytes.toLocaleString('en-US'),
        TEMPLATE_BODY_LIMIT_BYTES.toLocaleString('en-US'),
      ),
      { hint: l10n.t('Set stackwatch.aws.templateBucket to an S3 bucket Stackwatch may upload the template to, or make the template smaller.') },
    );
  }
  const key = templateKey(target.stackName, template);
  await put(target.bucket, key, template.body, signal);
  return { TemplateURL: templateUrl(target, key) };
}
