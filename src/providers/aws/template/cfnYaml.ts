/**
 * CloudFormation's YAML dialect: short-form intrinsic tags (`!Ref`, `!GetAtt`, `!Sub`, …)
 * parsed into the same long-form objects a JSON template uses, so the rest of Stackwatch
 * only ever sees `{ "Fn::GetAtt": [...] }` shapes.
 */
import * as l10n from '@vscode/l10n';
import { parseDocument, visit, type Document, type ScalarTag, type CollectionTag, YAMLMap, YAMLSeq, Scalar } from 'yaml';
import { closestMatch } from '../../../input/editDistance';
import { excerpt } from './excerpt';
import { unclosedOpenerBefore } from './unclosedFlow';

type IntrinsicName = string;

/** Short tag → long-form key. `!Ref` and `!Condition` are the two that don't start with `Fn::`. */
const SHORT_TAGS: Record<string, IntrinsicName> = {
  Ref: 'Ref',
  Condition: 'Condition',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  FindInMap: 'Fn::FindInMap',
  GetAtt: 'Fn::GetAtt',
  GetAZs: 'Fn::GetAZs',
  ImportValue: 'Fn::ImportValue',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  Sub: 'Fn::Sub',
  Transform: 'Fn::Transform',
  And: 'Fn::And',
  Equals: 'Fn::Equals',
  If: 'Fn::If',
  Not: 'Fn::Not',
  Or: 'Fn::Or',
  ToJsonString: 'Fn::ToJsonString',
  Length: 'Fn::Length',
  ForEach: 'Fn::ForEach',
  // Rules-section functions (Assertions may use only these, plus And/Or/Not/Equals/If).
  Contains: 'Fn::Contains',
  EachMemberEquals: 'Fn::EachMemberEquals',
  EachMemberIn: 'Fn::EachMemberIn',
  RefAll: 'Fn::RefAll',
  ValueOf: 'Fn::ValueOf',
  ValueOfAll: 'Fn::ValueOfAll',
};

export const CFN_SHORT_TAGS: readonly string[] = Object.keys(SHORT_TAGS).map((t) => `!${t}`);

/** The long-form key a short tag stands for (`!GetAtt` → `Fn::GetAtt`), or undefined for other tags. */
export function intrinsicForTag(tag: string | undefined): IntrinsicName | undefined {
  if (!tag?.startsWith('!')) return undefined;
  return Object.hasOwn(SHORT_TAGS, tag.slice(1)) ? SHORT_TAGS[tag.slice(1)] : undefined;
}

function scalarTag(short: string, long: IntrinsicName): ScalarTag {
  return {
    tag: `!${short}`,
    resolve(value: string): unknown {
      // `!GetAtt Res.Attr` is the dotted short form of `Fn::GetAtt: [Res, Attr]`.
      if (long === 'Fn::GetAtt') {
        const dot = value.indexOf('.');
        return { [long]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
      }
      return { [long]: value };
    },
  };
}

function collectionTag(short: string, long: IntrinsicName, collection: 'seq' | 'map'): CollectionTag {
  return {
    tag: `!${short}`,
    collection,
    nodeClass: collection === 'seq' ? YAMLSeq : YAMLMap,
    resolve(value: YAMLSeq | YAMLMap): unknown {
      const contents: unknown = value.toJSON();
      return { [long]: contents };
    },
  };
}

const customTags = Object.entries(SHORT_TAGS).flatMap(([short, long]) => [
  scalarTag(short, long),
  collectionTag(short, long, 'seq'),
  collectionTag(short, long, 'map'),
]);

export interface YamlProblem {
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  code: string;
}

export interface ParsedYaml {
  value: unknown;
  document: Document;
  errors: YamlProblem[];
  warnings: YamlProblem[];
}

/** Parses CloudFormation YAML. Never throws; problems come back with 1-based positions. */
export function parseCfnYaml(text: string): ParsedYaml {
  const document = parseDocument(text, { customTags, prettyErrors: true, uniqueKeys: true, strict: true, version: '1.2' });
  const toProblem = (e: { message: string; code: string; pos?: [number, number]; linePos?: [{ line: number; col: number }, ...unknown[]] }): YamlProblem => {
    const message = excerpt(firstLine(e.message).replace(/ at line \d+, column \d+:?$/, ''), 240);
    const opener = e.pos ? unclosedOpenerBefore(text, message, e.pos[0]) : undefined;
    if (opener) {
      return {
        // l10n-exempt: punctuation added to the YAML library's own English message (data, shown as received)
        message: l10n.t('This {0} is never closed. {1}', opener.bracket, message.replace(/ and end with/, ', and end with')),
        line: lineAt(text, opener.offset),
        column: opener.offset - text.lastIndexOf('\n', opener.offset - 1),
        code: e.code,
      };
    }
    return { message, line: e.linePos?.[0]?.line ?? 1, column: e.linePos?.[0]?.col ?? 1, code: e.code };
  };
  // An unknown tag is a warning to the yaml library, but CloudFormation rejects the template.
  const unknownTags = document.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED').map(toProblem);
  for (const problem of unknownTags) problem.message = unknownTagMessage(problem.message);
  const errors = [...document.errors.map(toProblem).map(plainWords), ...unknownTags, ...aliasProblems(document, text)];
  const warnings = document.warnings.filter((w) => w.code !== 'TAG_RESOLVE_FAILED').map(toProblem);
  let value: unknown;
  if (errors.length === 0) {
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      errors.push({ message: error instanceof Error ? error.message : String(error), line: 1, column: 1, code: 'TO_JS_FAILED' });
    }
  }
  return { value, document, errors: errors.sort((a, b) => a.line - b.line || a.column - b.column), warnings };
}

/** Some library messages talk to programmers; say what they mean for a template. */
function plainWords(problem: YamlProblem): YamlProblem {
  if (problem.code === 'MULTIPLE_DOCS') {
    return {
      ...problem,
      message: l10n.t('A template is a single YAML document, but a second one starts here (after "---"). Remove the separator or split the file.'),
    };
  }
  return problem;
}

function unknownTagMessage(libraryMessage: string): string {
  const tag = /(!\S*)\s*$/.exec(libraryMessage.replace(/[.:]\s*$/, ''))?.[1];
  const known = CFN_SHORT_TAGS.join(', ');
  if (!tag) return l10n.t('{0}. CloudFormation knows {1}.', excerpt(libraryMessage), known);
  const suggestion = tag.length <= 40 ? closestMatch(tag, CFN_SHORT_TAGS) : undefined;
  return suggestion
    ? l10n.t('Unknown tag {0} (did you mean {1}?). CloudFormation knows {2}.', excerpt(tag, 40), suggestion, known)
    : l10n.t('Unknown tag {0}. CloudFormation knows {1}.', excerpt(tag, 40), known);
}

/** The submitted body is the text on disk, and CloudFormation refuses YAML aliases in it. */
function aliasProblems(document: Document, text: string): YamlProblem[] {
  const problems: YamlProblem[] = [];
  visit(document, {
    Alias(_key, node) {
      const offset = node.range?.[0] ?? 0;
      const line = lineAt(text, offset);
      const column = offset - text.lastIndexOf('\n', offset - 1);
      problems.push({
        message: l10n.t(
          'YAML alias *{0} is not allowed: CloudFormation rejects templates with aliases. Repeat the value instead, or run "aws cloudformation package" to expand aliases first.',
          excerpt(node.source, 40),
        ),
        line,
        column,
        code: 'ALIAS',
      });
    },
  });
  return problems;
}

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return nl < 0 ? message : message.slice(0, nl);
}

/** 1-based line of a top-level section key's child, e.g. (Resources, MyBucket). */
export function lineOfKey(parsed: ParsedYaml, section: string, key: string, text: string): number | undefined {
  const contents = parsed.document.contents;
  if (!(contents instanceof YAMLMap)) return undefined;
  const sectionNode: unknown = contents.get(section, true);
  if (!(sectionNode instanceof YAMLMap)) return undefined;
  for (const pair of sectionNode.items) {
    const k: unknown = pair.key;
    if (k instanceof Scalar && k.value === key && k.range) return lineAt(text, k.range[0]);
  }
  return undefined;
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
