/**
 * Staging is a change set: the template (inline, or uploaded to S3 when it is too large) is
 * validated, made into a change set under a name only this deployment's attempt uses, and read
 * back as the list of changes the review shows.
 */
import * as l10n from '@vscode/l10n';
import { type Capability, CreateChangeSetCommand, ValidateTemplateCommand } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type DescribeStagedRequest, type DescribeStagedResult, ProviderError, type StageRequest, type StageResult, type TemplateSource } from '../provider';
import { isNoChangesMarker, NO_CHANGES_PREFIX, NO_UPDATES_REASON } from './changeSetStates';
import { createS3Client } from './clients';
import type { AwsContext } from './context';
import { changeSetOptions } from './deploymentOptions';
import { isNoUpdatesError, toProviderError } from './errors';
import { readChangeTree } from './nestedChangeSets';
import { hasNestedStacks, packageNestedTemplates } from './nestedTemplates';
import { secretsOf } from './secretMask';
import type { ValidateRequest, ValidateResult } from './template/validation';
import { type PutObject, templateArgs, type TemplateArgs } from './templateLocation';
import { stagingNames } from './tokens';
import { withNestedValidationFindings } from './nestedValidation';
import { noteStagedOptions, withValidationFindings } from './validationFindings';

/** Answers in which CloudFormation refused a CreateChangeSet: it made nothing, and nothing will land later. */
const REFUSALS: ReadonlySet<ProviderError['code']> = new Set(['Validation', 'Credentials', 'Conflict', 'NotFound', 'Unsupported', 'Throttling']);

function putObjectFor(ctx: AwsContext): PutObject {
  if (ctx.config.putObject) return ctx.config.putObject;
  return async (bucket, key, body, signal) => {
    const s3 = await createS3Client(ctx.config);
    try {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain' }), { abortSignal: signal });
    } catch (error) {
      throw toProviderError(error, { ...ctx.errorContext(l10n.t('Uploading the template to s3://{0}/{1}', bucket, key)), service: 'S3' });
    } finally {
      s3.destroy();
    }
  };
}

function templateArgsFor(ctx: AwsContext, template: TemplateSource, stackName: string, signal: AbortSignal): Promise<TemplateArgs> {
  return templateArgs(template, { bucket: ctx.config.templateBucket, region: ctx.config.region, stackName }, putObjectFor(ctx), signal);
}

export async function validateTemplate(ctx: AwsContext, { target, template, signal }: ValidateRequest): Promise<ValidateResult> {
  const args = await templateArgsFor(ctx, template, target.name, signal);
  const result = await ctx.call('ValidateTemplate', signal, (c, o) => c.send(new ValidateTemplateCommand(args), o));
  return {
    parameters: (result.Parameters ?? []).map((p) => ({
      key: p.ParameterKey ?? '',
      defaultValue: p.DefaultValue,
      noEcho: p.NoEcho,
      description: p.Description,
    })),
    requiredCapabilities: result.Capabilities ?? [],
    description: result.Description,
  };
}

export async function stageChangeSet(ctx: AwsContext, req: StageRequest): Promise<StageResult> {
  const { target, template, signal } = req;
  const changeSetType = req.condition === 'missing' ? 'CREATE' : 'UPDATE';
  const submitted = await packageNestedTemplates(template, {
    templateFile: ctx.config.templateFile,
    workspaceFolder: ctx.config.workspaceFolder,
    bucket: ctx.config.templateBucket,
    region: ctx.config.region,
    stackName: target.name,
    put: putObjectFor(ctx),
    signal,
  });
  const args = await templateArgsFor(ctx, submitted, target.name, signal);
  const names = stagingNames(req.deploymentId, req.attempt);
  let created: { Id?: string; StackId?: string };
  try {
    created = await ctx.call('CreateChangeSet', signal, (c, o) =>
      c.send(
        new CreateChangeSetCommand({
          StackName: target.name,
          ChangeSetName: names.changeSetName,
          ChangeSetType: changeSetType,
          ...args,
          Parameters: req.parameters.map((p) =>
            p.usePrevious ? { ParameterKey: p.key, UsePreviousValue: true } : { ParameterKey: p.key, ParameterValue: p.value },
          ),
          Capabilities: req.capabilities.length > 0 ? (req.capabilities as Capability[]) : undefined,
          ClientToken: names.clientToken,
          Description: l10n.t('Staged by Stackwatch ({0})', req.deploymentId),
          // Without it a nested stack is one opaque row; with it each nested stack gets its own change set.
          IncludeNestedStacks: hasNestedStacks(submitted.body) || undefined,
          ...changeSetOptions(req.options, changeSetType),
        }),
        o,
      ),
    );
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    // "Already exists" is no refusal: that change set is there (and adopted below).
    if (REFUSALS.has(error.code) && !isAlreadyExists(error)) ctx.refusedStages.add(names.changeSetName);
    // Nothing was created: say "no changes" the way an empty change set does (see NO_CHANGES_PREFIX).
    if (isNoUpdatesError(error)) return { stagedId: `${NO_CHANGES_PREFIX}${names.changeSetName}`, createdTarget: false };
    created = await adoptOwnChangeSet(ctx, error, names.changeSetName, target.name, signal);
  }
  if (!created.Id) throw new ProviderError('Unknown', l10n.t('CreateChangeSet returned no change set ID.'));
  ctx.stagedSecrets.set(created.Id, secretsOf(req.parameters));
  ctx.staged.set(created.Id, { kind: changeSetType === 'CREATE' ? 'create' : 'update', stackId: created.StackId });
  noteStagedOptions(ctx, created.Id, req.options);
  // Ours to remove on cleanup only when no stack existed before: a CREATE change set made in an
  // empty REVIEW_IN_PROGRESS shell someone left creates nothing. A retry after a lost answer is
  // given the same (absent) targetId, so the shell its first call made is still ours.
  return { stagedId: created.Id, createdTarget: changeSetType === 'CREATE' && req.targetId === undefined, targetId: created.StackId };
}

/**
 * "Already exists" for a name only this (deployment, attempt) uses: an earlier call of the same
 * attempt got through and its answer was lost (or the window reloaded). That change set is ours;
 * take it instead of failing and leaving it behind. Any other refusal stands.
 */
async function adoptOwnChangeSet(
  ctx: AwsContext,
  error: ProviderError,
  changeSetName: string,
  stackName: string,
  signal: AbortSignal,
): Promise<{ Id?: string; StackId?: string }> {
  if (!isAlreadyExists(error)) throw error;
  const existing = await ctx.describeChangeSet(changeSetName, stackName, signal);
  if (!existing?.ChangeSetId) throw error;
  return { Id: existing.ChangeSetId, StackId: existing.StackId };
}

export async function describeStagedChanges(ctx: AwsContext, { target, stagedId, signal }: DescribeStagedRequest): Promise<DescribeStagedResult> {
  if (isNoChangesMarker(stagedId)) return { state: 'empty', providerStatus: 'NO_UPDATES', reason: NO_UPDATES_REASON, changes: [] };
  const described = await readChangeTree(ctx, { stagedId, stackName: target.name, secrets: ctx.stagedSecrets.get(stagedId), signal });
  // Early validation's errors (a failed change set) and warnings (a ready one), from DescribeEvents;
  // a root failed by a nested change set gets that one's errors, keyed under the nested stack's row.
  const withFindings = await withValidationFindings(ctx, described, target.name, stagedId, signal);
  return withNestedValidationFindings(ctx, withFindings, target.name, stagedId, signal);
}

function isAlreadyExists(error: ProviderError): boolean {
  return error.details.providerCode === 'AlreadyExistsException' || /already exists/i.test(error.message);
}
