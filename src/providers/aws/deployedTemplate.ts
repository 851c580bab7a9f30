/** The template a stack runs now, exactly as submitted (GetTemplate, Original stage), for Compare with Deployed. */
import * as l10n from '@vscode/l10n';
import { GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { type DeployedTemplateRequest, ProviderError } from '../provider';
import { type AwsContext, unreadableAnswer } from './context';

/** Undefined when there is no stack, or only the empty REVIEW_IN_PROGRESS shell a first change set makes. */
export async function deployedTemplate(ctx: AwsContext, { target, signal }: DeployedTemplateRequest): Promise<string | undefined> {
  let body: string | undefined;
  try {
    const result = await ctx.call('GetTemplate', signal, (c, o) => c.send(new GetTemplateCommand({ StackName: target.name, TemplateStage: 'Original' }), o));
    body = result.TemplateBody;
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    if (error.code === 'NotFound') return undefined;
    // Some endpoints answer a template-less shell with a ValidationError rather than an empty body.
    if (error.code === 'Validation' && (await hasNoTemplate(ctx, target.name, signal))) return undefined;
    throw error;
  }
  if (body) return body;
  if (await hasNoTemplate(ctx, target.name, signal)) return undefined;
  throw unreadableAnswer('GetTemplate', l10n.t('no template for a stack that has one'));
}

async function hasNoTemplate(ctx: AwsContext, stackName: string, signal: AbortSignal): Promise<boolean> {
  const stack = await ctx.describeStack(stackName, signal);
  return stack === undefined || stack.StackStatus === 'REVIEW_IN_PROGRESS';
}
