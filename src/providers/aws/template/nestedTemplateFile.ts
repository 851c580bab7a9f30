/**
 * The workspace file a nested stack's TemplateURL names, when it names one: a relative or
 * absolute path (what `aws cloudformation package` uploads), never a URL. Only files inside the
 * workspace folder are read, so a finding can never open a file the person did not deploy from.
 */
import { isAbsolute, resolve } from 'node:path';
import { isInside } from '../../../input/workspaceBoundary';
import { isRecord } from './templateDocument';

const NESTED_STACK_TYPES: ReadonlySet<string> = new Set(['AWS::CloudFormation::Stack', 'AWS::Serverless::Application']);
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The absolute path of the nested template, or undefined when it is not a workspace file. */
export function localNestedTemplatePath(resource: unknown, baseDir: string, workspaceFolder: string | undefined): string | undefined {
  if (!isRecord(resource) || typeof resource.Type !== 'string' || !NESTED_STACK_TYPES.has(resource.Type)) return undefined;
  const properties = resource.Properties;
  if (!isRecord(properties)) return undefined;
  // AWS::Serverless::Application names its template in Location.
  const url = resource.Type === 'AWS::CloudFormation::Stack' ? properties.TemplateURL : properties.Location;
  if (typeof url !== 'string' || url.trim() === '' || URL_SCHEME.test(url)) return undefined;
  const path = isAbsolute(url) ? url : resolve(baseDir, url);
  if (workspaceFolder !== undefined && !isInside(resolve(workspaceFolder), path)) return undefined;
  return path;
}
