/** Reads for after a deployment: the stack's outputs, and the template a change set staged (Save Template). */
import * as l10n from '@vscode/l10n';
import { GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { type OutputsRequest, ProviderError, type StackOutput, type TemplateRequest } from '../provider';
import type { AwsContext } from './context';

export async function stackOutputs(ctx: AwsContext, { target, signal }: OutputsRequest): Promise<StackOutput[]> {
  const stack = await ctx.describeStack(target.name, signal);
  return (stack?.Outputs ?? []).map((o) => ({
    key: o.OutputKey ?? '',
    value: o.OutputValue ?? '',
    description: o.Description,
    exportName: o.ExportName,
  }));
}

export async function stagedTemplate(ctx: AwsContext, { target, stagedId, signal }: TemplateRequest): Promise<string> {
  const result = await ctx.call('GetTemplate', signal, (c, o) =>
    c.send(new GetTemplateCommand({ StackName: target.name, ChangeSetName: stagedId, TemplateStage: 'Original' }), o),
  );
  if (result.TemplateBody === undefined) throw new ProviderError('NotFound', l10n.t('CloudFormation returned no template for the staged change set.'));
  return result.TemplateBody;
}
