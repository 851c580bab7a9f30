/**
 * Ref and Fn::GetAtt targets must exist. CloudFormation reports a dangling one as
 * "Unresolved resource dependencies [X] in the Resources block", with no line; this finds
 * the line and suggests the name that was probably meant.
 */
import * as l10n from '@vscode/l10n';
import { closestMatch } from '../../../input/editDistance';
import { excerpt } from './excerpt';
import type { Locator, ValuePath } from './locator';
import type { TextOrigin } from './structuredText';
import { containsKey, isRecord, type TemplateDocument } from './templateDocument';
import { asSentence, moreProblemsSentence, UNKNOWN_REFERENCES } from './moreProblems';
import { InputError } from '../../../input/inputError';

export const PSEUDO_PARAMETERS: readonly string[] = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
];

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';
/** Resources SAM adds on its own, which a SAM template may reference before they exist. */
const SAM_IMPLICIT_PREFIX = 'Serverless';
/** A CloudFormation module's type ends so (e.g. My::S3::SampleBucket::MODULE). */
const MODULE_TYPE_SUFFIX = '::MODULE';

interface Problem {
  path: ValuePath;
  reason: string;
}

export function checkReferences(document: TemplateDocument, locator: Locator, origin: TextOrigin): void {
  if (!referencesAreCheckable(document)) return;
  const resources = new Set(Object.keys(document.Resources));
  const parameters = new Set(Object.keys(document.Parameters));
  const refTargets = [...resources, ...parameters, ...PSEUDO_PARAMETERS];
  const samResources = document.Transform.includes(SAM_TRANSFORM)
    ? [...resources].filter((id) => document.Resources[id].Type.startsWith('AWS::Serverless::'))
    : [];
  // SAM generates resources named after the source one (MyFunctionRole, MyApi.Stage), so those are fine too.
  const generatedBySam = (name: string): boolean =>
    samResources.length > 0 && (name.startsWith(SAM_IMPLICIT_PREFIX) || samResources.some((id) => name.startsWith(id)));
  // A module's resources are named by joining the module's logical ID and theirs, with or
  // without a dot (MyModule.Bucket, MyModuleBucket); what they are is in the module's schema.
  const modules = [...resources].filter((id) => document.Resources[id].Type.endsWith(MODULE_TYPE_SUFFIX));
  const inModule = (name: string): boolean => modules.some((id) => name.length > id.length && name.startsWith(id));
  const known = (name: string): boolean => resources.has(name) || generatedBySam(name) || inModule(name);
  // Typos are short; comparing a huge name with every candidate only costs time.
  const closest = (name: string, candidates: Iterable<string>): string | undefined => (name.length <= 100 ? closestMatch(name, candidates) : undefined);

  const problems: Problem[] = [];
  const visit = (node: unknown, path: ValuePath): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index]));
      return;
    }
    if (!isRecord(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === 'Ref') {
      const target = node.Ref;
      const refPath = [...path, 'Ref'];
      if (typeof target !== 'string' || target === '') {
        problems.push({ path: refPath, reason: l10n.t('Ref needs the logical ID of a resource or parameter, as a single string.') });
      } else if (!known(target) && !parameters.has(target) && !PSEUDO_PARAMETERS.includes(target)) {
        const name = excerpt(target);
        const close = closest(target, refTargets);
        problems.push({
          path: refPath,
          reason: close
            ? l10n.t('Ref {0}: the template has no resource, parameter or pseudo parameter named {0}. Did you mean {1}?', name, close)
            : l10n.t('Ref {0}: the template has no resource, parameter or pseudo parameter named {0}.', name),
        });
      }
      return;
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const getAttPath = [...path, 'Fn::GetAtt'];
      const target = getAttTarget(node['Fn::GetAtt']);
      if (target !== undefined && !known(target)) {
        const name = excerpt(target);
        const close = parameters.has(target) ? undefined : closest(target, resources);
        problems.push({
          path: getAttPath,
          reason: parameters.has(target)
            ? l10n.t('Fn::GetAtt {0}: {0} is a parameter, and Fn::GetAtt works only on resources. Use Ref {0} instead.', name)
            : close
              ? l10n.t('Fn::GetAtt {0}: the template has no resource named {0}. Did you mean {1}?', name, close)
              : l10n.t('Fn::GetAtt {0}: the template has no resource named {0}.', name),
        });
      }
    }
    for (const key of keys) visit(node[key], [...path, key]);
  };
  for (const section of ['Resources', 'Outputs', 'Conditions'] as const) visit(document.raw[section], [section]);
  if (problems.length === 0) return;

  const lineOf = (problem: Problem): number => locator.positionOf(problem.path)?.line ?? locator.nearestLine(problem.path) ?? 0;
  problems.sort((a, b) => lineOf(a) - lineOf(b));
  const placed = problems.map((problem) => {
    const position = locator.positionOf(problem.path);
    return { message: problem.reason, line: position?.line ?? locator.nearestLine(problem.path), column: position?.column };
  });
  const [first, ...others] = placed;
  throw new InputError(`${asSentence(first.message)}${moreProblemsSentence(UNKNOWN_REFERENCES, others)}`, {
    file: origin.file,
    displayFile: origin.displayFile,
    line: first.line,
    column: first.column,
    moreProblems: others,
  });
}

/** `Fn::GetAtt: [Res, Attr]` or `Res.Attr`; undefined when the target is computed. */
function getAttTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value.split('.', 1)[0];
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/**
 * Macros can add any resource, and AWS::LanguageExtensions' loops name resources at deploy
 * time, so only templates without them (or with just the SAM transform) can be checked here.
 */
function referencesAreCheckable(document: TemplateDocument): boolean {
  if (document.Transform.some((name) => name !== SAM_TRANSFORM)) return false;
  return !containsKey(document.raw, (key) => key === 'Fn::Transform' || key.startsWith('Fn::ForEach'));
}
