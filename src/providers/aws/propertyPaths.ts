/**
 * The property a CloudFormation failure reason names, as a path in the resource
 * ("Properties.Tags[0].Value"), so the failure can be pinned to that property's line.
 *
 * The wordings, from resource handlers' schema validation and the older property checks:
 * - "Properties validation failed for resource Bucket with message: #/BucketName: failed validation constraint for keyword [pattern]"
 * - "Properties validation failed for resource Table with message: #: required key [KeySchema] not found"
 * - "… #: extraneous key [Foo] is not permitted"
 * - "Model validation failed (#/Tags/0/Value: expected type: String, found: Integer)"
 * - "Encountered unsupported property Foo"
 * - "Value of property Tags must be of type List"
 * - "Property validation failure: [Value of property {/Tags/0/Key} does not match type {String}]"
 * - "Property validation failure: [Encountered unsupported properties in {/}: [Foo]]"
 * When a reason names several, the first is the one shown.
 */

/** "#/A/0/B: …" (a JSON pointer into the properties); "#A: …" as some messages abbreviate it. */
const POINTER = /#(\/[^\s:,\]]*|[A-Za-z][A-Za-z0-9]*)\s*:/;
/** "#: required key [X] not found", "#/Outer: extraneous key [X] is not permitted". */
const KEY_IN = /#(\/[^\s:,\]]*)?\s*:\s*(?:required|extraneous) key \[([^\]]+)\]/;
/** "{/Tags/0}" in the older property validation wording. */
const BRACED_POINTER = /property \{(\/[^}]*)\}/;
/** "Encountered unsupported properties in {/Outer}: [Foo, Bar]" */
const UNSUPPORTED_IN = /unsupported properties in \{(\/[^}]*)\}\s*:\s*\[([^\],]+)/;
/** "Encountered unsupported property Foo", "Value of property Tags must be …". */
const NAMED = /(?:unsupported property|Value of property)\s+([A-Za-z][A-Za-z0-9]*)/;

export function propertyPathOf(reason: string | undefined): string | undefined {
  if (!reason) return undefined;
  const key = KEY_IN.exec(reason);
  if (key?.[2]) return pathOf([...segments(key[1] ?? ''), key[2].trim()]);
  const unsupported = UNSUPPORTED_IN.exec(reason);
  if (unsupported?.[2]) return pathOf([...segments(unsupported[1] ?? ''), unsupported[2].trim()]);
  const pointer = POINTER.exec(reason)?.[1];
  if (pointer) {
    const path = pathOf(pointer.startsWith('/') ? segments(pointer) : [pointer]);
    if (path) return path;
  }
  const braced = BRACED_POINTER.exec(reason)?.[1];
  if (braced) return pathOf(segments(braced));
  const named = NAMED.exec(reason)?.[1];
  return named ? pathOf([named]) : undefined;
}

/** "/Tags/0/Value" → ["Tags", "0", "Value"] (JSON pointer escapes undone). */
function segments(pointer: string): string[] {
  return pointer
    .split('/')
    .filter((s) => s !== '')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** ["Tags", "0", "Value"] → "Properties.Tags[0].Value"; undefined for the properties as a whole. */
function pathOf(parts: readonly string[]): string | undefined {
  if (parts.length === 0) return undefined;
  let path = 'Properties';
  for (const part of parts) path += /^\d+$/.test(part) ? `[${part}]` : `.${part}`;
  return path;
}
