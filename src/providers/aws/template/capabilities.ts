/**
 * Capabilities a template needs, inferred locally: CloudFormation only reports missing ones
 * after a failed create, and ValidateTemplate does not see what a transform will add.
 */
import { containsKey, isRecord, type TemplateDocument } from './templateDocument';

export const CAPABILITY_IAM = 'CAPABILITY_IAM';
export const CAPABILITY_NAMED_IAM = 'CAPABILITY_NAMED_IAM';
export const CAPABILITY_AUTO_EXPAND = 'CAPABILITY_AUTO_EXPAND';

/** Properties that give an IAM resource a custom name, which needs CAPABILITY_NAMED_IAM. */
const NAME_PROPERTIES = ['RoleName', 'UserName', 'GroupName', 'ManagedPolicyName', 'InstanceProfileName'];

/** SAM resources that make an IAM role unless given one. */
const SAM_ROLE_MAKERS = new Set(['AWS::Serverless::Function', 'AWS::Serverless::StateMachine']);

export function inferCapabilities(document: TemplateDocument): string[] {
  const needed = new Set<string>();
  for (const resource of Object.values(document.Resources)) {
    const properties = isRecord(resource.Properties) ? resource.Properties : {};
    // Asking for a capability a template does not need is harmless; missing one fails the deployment.
    if (resource.Type.startsWith('AWS::IAM::')) {
      needed.add(CAPABILITY_IAM);
      if (NAME_PROPERTIES.some((name) => properties[name] !== undefined)) needed.add(CAPABILITY_NAMED_IAM);
    }
    if (resource.Type.startsWith('AWS::Serverless::')) needed.add(CAPABILITY_AUTO_EXPAND);
    if (SAM_ROLE_MAKERS.has(resource.Type) && properties.Role === undefined) needed.add(CAPABILITY_IAM);
  }
  if (document.Transform.length > 0 || containsKey(document.raw, (key) => key === 'Fn::Transform')) needed.add(CAPABILITY_AUTO_EXPAND);
  return [...needed].sort();
}

export function mergeCapabilities(...lists: readonly (readonly string[] | undefined)[]): string[] {
  return [
    ...new Set(
      lists
        .flatMap((list) => list ?? [])
        .map((capability) => capability.trim())
        .filter((capability) => capability !== ''),
    ),
  ].sort();
}
