/**
 * Checks CloudFormation makes when a stack operation starts, before it touches any resource.
 * A failure here has no failed resource: only the stack's own event says what went wrong.
 *
 * - Parameters of AWS-specific types (`AWS::EC2::KeyPair::KeyName`, `List<AWS::EC2::Subnet::Id>`,
 *   …) must name something that exists in the account. The simulator has no account, so it
 *   treats an empty value, or one starting with `missing`, as not existing.
 * - Every `Fn::ImportValue` must name an export of a live stack at that moment (it may have
 *   existed when the change set was made and be gone since).
 */
import type { Resolver } from './intrinsics';
import type { Deployment } from './model';
import { isRecord } from './template';

export interface PreflightEnv {
  resolver: Resolver;
  exportExists(name: string): boolean;
}

export function preflightFailure(deployment: Deployment, env: PreflightEnv): string | undefined {
  const missingValues = missingParameterValues(deployment);
  if (missingValues.length > 0) {
    return `Parameter validation failed: ${missingValues.map(({ key, value }) => `parameter value ${value === '' ? '' : `${value} `}for parameter name ${key} does not exist`).join(', ')}.`;
  }
  const missingExport = importNames(deployment, env.resolver).find((name) => !env.exportExists(name));
  return missingExport === undefined ? undefined : `No export named ${missingExport} found.`;
}

/** Types whose values CloudFormation looks up in the account (SSM parameter types are resolved, not looked up). */
function isAccountLookupType(type: string): boolean {
  const inner = /^List<(.+)>$/.exec(type)?.[1] ?? type;
  return inner.startsWith('AWS::') && !inner.startsWith('AWS::SSM::Parameter::');
}

function missingParameterValues(deployment: Deployment): { key: string; value: string }[] {
  const missing: { key: string; value: string }[] = [];
  for (const decl of deployment.template.parameters) {
    if (!isAccountLookupType(decl.type)) continue;
    const raw = deployment.params.get(decl.key) ?? '';
    const values = decl.type.startsWith('List<') && raw !== '' ? raw.split(',').map((v) => v.trim()) : [raw];
    for (const value of values) if (value === '' || value.toLowerCase().startsWith('missing')) missing.push({ key: decl.key, value });
  }
  return missing;
}

/** Export names imported by the resources that will exist and by the outputs, where they can be worked out now. */
function importNames(deployment: Deployment, resolver: Resolver): string[] {
  const template = deployment.template;
  const active = (condition: string | undefined): boolean => {
    if (condition === undefined) return true;
    try {
      return resolver.condition(condition);
    } catch {
      return true;
    }
  };
  const roots: unknown[] = [];
  for (const decl of template.resources.values()) if (active(decl.condition)) roots.push(decl.properties);
  for (const output of template.outputs) if (active(output.condition)) roots.push(output.value);
  const names: string[] = [];
  for (const root of roots) {
    for (const argument of importArguments(root)) {
      try {
        const name = resolver.resolve(argument);
        if (typeof name === 'string' && !names.includes(name)) names.push(name);
      } catch {
        // An argument that cannot be evaluated is left to the resource step, which reports it.
      }
    }
  }
  return names;
}

function importArguments(value: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) {
    for (const item of value) importArguments(item, found);
  } else if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'Fn::ImportValue') found.push(value['Fn::ImportValue']);
    else for (const item of Object.values(value)) importArguments(item, found);
  }
  return found;
}
