/**
 * Outputs that carry a secret. CloudFormation masks a NoEcho parameter's value in
 * DescribeStacks' Parameters, but an output that is `!Ref` of it (or a `!Sub`, `!Join`, … that
 * contains it) comes back in clear. Those outputs are named here so they are masked
 * everywhere, like Google Cloud's sensitive outputs.
 */
import { isRecord, type TemplateDocument } from './templateDocument';

/** `${Name}` in a Fn::Sub string; `${!Name}` is a literal and `${Res.Attr}` is a GetAtt. */
const SUB_VARIABLE = /\$\{\s*([A-Za-z0-9:]+)\s*\}/g;

export function secretParameterNames(document: TemplateDocument): Set<string> {
  return new Set(
    Object.entries(document.Parameters)
      .filter(([, declaration]) => declaration.NoEcho === true)
      .map(([name]) => name),
  );
}

/** Output keys, in template order, whose Value derives from a NoEcho parameter. */
export function sensitiveOutputKeys(document: TemplateDocument): string[] {
  const secrets = secretParameterNames(document);
  if (secrets.size === 0) return [];
  return Object.entries(document.Outputs)
    .filter(([, output]) => isRecord(output) && derivesFromSecret(output.Value, secrets))
    .map(([key]) => key);
}

/**
 * Whether a value mentions a secret parameter anywhere: a Ref, a Fn::Sub variable, or either
 * nested at any depth inside another function (Join, Select, Base64, If, a Sub's variable
 * map, …). Over-masking an output costs a click to reveal; under-masking leaks the secret.
 */
export function derivesFromSecret(value: unknown, secrets: ReadonlySet<string>): boolean {
  if (Array.isArray(value)) return value.some((item) => derivesFromSecret(item, secrets));
  if (!isRecord(value)) return false;
  return Object.entries(value).some(
    ([key, inner]) =>
      (key === 'Ref' && typeof inner === 'string' && secrets.has(inner)) ||
      (key === 'Fn::Sub' && subMentionsSecret(inner, secrets)) ||
      derivesFromSecret(inner, secrets),
  );
}

/** `Fn::Sub: "…${P}…"`, or the list form, where a variable-map entry named P shadows the parameter. */
function subMentionsSecret(sub: unknown, secrets: ReadonlySet<string>): boolean {
  const parts: readonly unknown[] = Array.isArray(sub) ? sub : [sub];
  const [text, variables] = parts;
  if (typeof text !== 'string') return false;
  const local = isRecord(variables) ? variables : {};
  return [...text.matchAll(SUB_VARIABLE)].some(([, name]) => secrets.has(name) && !Object.hasOwn(local, name));
}
