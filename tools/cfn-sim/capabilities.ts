/**
 * Which capabilities a template needs. CloudFormation refuses a change set without them, so this
 * is checked synchronously in CreateChangeSet and reported by ValidateTemplate.
 */
import { insufficientCapabilities } from './errors';
import { capabilityFor } from './resourceTypes';
import type { Template } from './template';

export interface CapabilityNeeds {
  capabilities: string[];
  reason?: string;
}

export function requiredCapabilities(template: Template): CapabilityNeeds {
  const capabilities: string[] = [];
  const types = new Set<string>();
  let iam: 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM' | undefined;
  for (const decl of template.resources.values()) {
    const needed = capabilityFor(decl);
    if (!needed) continue;
    types.add(decl.type);
    if (needed === 'CAPABILITY_NAMED_IAM' || iam === undefined) iam = needed;
  }
  if (iam) capabilities.push(iam);
  if (template.transforms.length > 0) capabilities.push('CAPABILITY_AUTO_EXPAND');
  const reasons = [...types];
  if (template.transforms.length > 0) reasons.push(...template.transforms);
  return { capabilities, reason: reasons.length > 0 ? `The following resource(s) require capabilities: [${reasons.join(', ')}]` : undefined };
}

/** Transforms are checked first: CloudFormation must expand macros before it can see the resources. */
export function checkCapabilities(template: Template, given: readonly string[]): void {
  const has = new Set(given);
  if (template.transforms.length > 0 && !has.has('CAPABILITY_AUTO_EXPAND')) throw insufficientCapabilities('CAPABILITY_AUTO_EXPAND');
  const needs = requiredCapabilities(template).capabilities;
  if (needs.includes('CAPABILITY_NAMED_IAM') && !has.has('CAPABILITY_NAMED_IAM')) throw insufficientCapabilities('CAPABILITY_NAMED_IAM');
  if (needs.includes('CAPABILITY_IAM') && !has.has('CAPABILITY_IAM') && !has.has('CAPABILITY_NAMED_IAM')) throw insufficientCapabilities('CAPABILITY_IAM');
}
