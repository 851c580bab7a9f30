/**
 * Hand-written XML for awsQuery responses. The shape rules are CloudFormation's: lists are
 * `<Name><member>…</member></Name>`, timestamps ISO 8601, absent values are left out.
 */

export type XmlValue = string | number | boolean | Date | undefined | null | readonly XmlValue[] | XmlObject;
export interface XmlObject {
  readonly [key: string]: XmlValue;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

// XML 1.0 cannot carry these at all, not even as character references.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** `\r` is escaped because parsers normalise raw CR LF to LF, and template bodies must round-trip byte for byte. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"'\r]/g, (c) => ESCAPES[c] ?? c);
}

export function toXml(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    if (value.length === 0) return `<${name}/>`;
    return `<${name}>${value.map((item: XmlValue) => toXml('member', item)).join('')}</${name}>`;
  }
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as XmlObject)
      .map(([key, child]) => toXml(key, child))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}
