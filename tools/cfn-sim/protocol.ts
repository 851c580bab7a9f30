/**
 * The awsQuery wire format: form-encoded requests in, XML documents out.
 */
import { randomUUID } from 'node:crypto';
import { missingParameter, type SimError } from './errors';
import { escapeXml, toXml, type XmlObject } from './xml';

export const API_VERSION = '2010-05-15';
export const XML_NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

export type FormParams = Record<string, string>;

export function parseForm(body: string): FormParams {
  const params: FormParams = {};
  for (const [key, value] of new URLSearchParams(body)) params[key] = value;
  return params;
}

/** `Name.member.1`, `Name.member.2`, … in index order. The SDK sends `Name=` for an empty list. */
export function listParam(params: FormParams, name: string): string[] {
  return memberIndexes(params, name).map((i) => params[`${name}.member.${i}`] ?? '');
}

/** `Name.member.N.Field` into one record per N. */
export function structListParam(params: FormParams, name: string): Record<string, string>[] {
  return memberIndexes(params, name).map((i) => {
    const prefix = `${name}.member.${i}.`;
    const record: Record<string, string> = {};
    for (const [key, value] of Object.entries(params)) if (key.startsWith(prefix)) record[key.slice(prefix.length)] = value;
    return record;
  });
}

function memberIndexes(params: FormParams, name: string): number[] {
  const pattern = new RegExp(`^${name.replace(/\./g, '\\.')}\\.member\\.(\\d+)(?:\\.|$)`);
  const indexes = new Set<number>();
  for (const key of Object.keys(params)) {
    const match = pattern.exec(key);
    if (match) indexes.add(Number(match[1]));
  }
  return [...indexes].sort((a, b) => a - b);
}

export function optional(params: FormParams, name: string): string | undefined {
  const value = params[name];
  return value === undefined || value === '' ? undefined : value;
}

/** `member` is the lower-camel name AWS's model validation puts in its message. */
export function required(params: FormParams, name: string): string {
  const value = optional(params, name);
  if (value === undefined) throw missingParameter(name.charAt(0).toLowerCase() + name.slice(1));
  return value;
}

export function boolParam(params: FormParams, name: string): boolean | undefined {
  const value = optional(params, name);
  return value === undefined ? undefined : value === 'true';
}

export function newRequestId(): string {
  return randomUUID();
}

/** `result` undefined means the operation's output is `Unit`, so there is no `…Result` element at all. */
export function successDocument(action: string, result: XmlObject | undefined, requestId: string, namespace = XML_NAMESPACE): string {
  const resultXml = result === undefined ? '' : toXml(`${action}Result`, result);
  return (
    `<${action}Response xmlns="${namespace}">${resultXml}` +
    `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function errorDocument(error: Pick<SimError, 'type' | 'code' | 'message'>, requestId: string, namespace = XML_NAMESPACE): string {
  return (
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${error.type}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}
