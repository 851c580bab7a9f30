/**
 * Stack outputs, resolved when a create or update has done its resources.
 */
import { containsUnknown, type Resolved } from './intrinsics';
import type { Deployment, Output, Stack } from './model';
import type { OperationContext } from './steps';
import { isRecord } from './template';
import { valueText } from '../sim-kit/text';

export function resolveOutputs(ctx: OperationContext, stack: Stack, deployment: Deployment): Output[] {
  const resolver = ctx.resolver(stack, deployment);
  const outputs: Output[] = [];
  for (const decl of deployment.template.outputs) {
    try {
      if (decl.condition !== undefined && !resolver.condition(decl.condition)) continue;
      const value = resolver.resolve(decl.value);
      if (value === undefined || containsUnknown(value)) continue;
      const exportName = decl.exportName === undefined ? undefined : resolver.resolve(decl.exportName);
      const description = decl.description === undefined ? undefined : resolver.resolve(decl.description);
      outputs.push({
        key: decl.key,
        value: outputText(value),
        description: description === undefined ? undefined : outputText(description),
        exportName: exportName === undefined ? undefined : outputText(exportName),
      });
    } catch {
      // An output that cannot be resolved is left out rather than failing the whole stack.
    }
  }
  return outputs;
}

function outputText(value: Resolved): string {
  if (Array.isArray(value)) return value.map((v) => outputText(v)).join(',');
  if (isRecord(value)) return JSON.stringify(value);
  return valueText(value);
}
