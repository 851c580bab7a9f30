/**
 * A template or request value as text, for both simulators: scalars and lists as String() prints
 * them (what the services echo back), a map as JSON, so a message never says "[object Object]".
 */
export function valueText(value: unknown): string {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)) return JSON.stringify(value);
  return String(value);
}
