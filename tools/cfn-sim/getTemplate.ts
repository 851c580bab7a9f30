/**
 * GetTemplate: the template of a stack or a change set, at the Original stage (the exact body that
 * was submitted, byte for byte) or the Processed stage (after transforms).
 */
import type { Engine } from './engine';
import { validationError } from './errors';
import { optional, type FormParams } from './protocol';
import type { Template } from './template';
import type { XmlObject } from './xml';

const STAGES = ['Original', 'Processed'] as const;

export function getTemplate(params: FormParams, engine: Engine): XmlObject {
  engine.sync();
  const stage = optional(params, 'TemplateStage') ?? 'Original';
  if (!(STAGES as readonly string[]).includes(stage)) {
    throw validationError(
      `1 validation error detected: Value '${stage}' at 'templateStage' failed to satisfy constraint: Member must satisfy enum value set: [${STAGES.join(', ')}]`,
    );
  }
  const changeSetName = optional(params, 'ChangeSetName');
  const stackName = optional(params, 'StackName');
  let template: Template | undefined;
  if (changeSetName !== undefined) template = engine.findChangeSet(changeSetName, stackName).changeSet.deployment.template;
  else {
    if (stackName === undefined) throw validationError('Either StackName or ChangeSetName must be specified.');
    const stack = engine.requireStack(stackName);
    template = stack.deployment?.template;
    // The shell a first change set makes answers with no TemplateBody at all, as CloudFormation
    // does; the CDK reads that as an empty template on every first deploy.
    if (template === undefined && stack.status === 'REVIEW_IN_PROGRESS') return { StagesAvailable: [...STAGES] };
    if (template === undefined) throw validationError(`Stack with id ${stackName} does not exist`);
  }
  return { TemplateBody: stage === 'Original' ? template.body : processedBody(template), StagesAvailable: [...STAGES] };
}

/**
 * cfn-sim does not expand transforms, so a template with none is its own processed form; one with
 * a transform comes back as the JSON CloudFormation would then hand on, still holding the
 * Transform section (the real service returns it expanded).
 */
function processedBody(template: Template): string {
  return template.transforms.length === 0 ? template.body : JSON.stringify(template.raw);
}
