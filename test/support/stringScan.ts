/**
 * Reads the extension's and the monitor page's sources as the TypeScript compiler does, to find
 * what a person would read that does not go through `l10n.t`: a literal with words in it. What is
 * not for people (an API's own text, a command id with a space, a shell line) says so on its line
 * or the line before with `// l10n-exempt: <why>`.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

export interface Finding {
  file: string;
  line: number;
  text: string;
}

/** Two words: what sets a sentence or a label apart from an id, a key, a path or a CSS class. */
const WORDS = /[A-Za-z]{2,}[,.:;!?…'’")\]]*\s+["'‘“([]?[A-Za-z]{2,}/;
const EXEMPT = /l10n-exempt:\s*\S/;

function isTranslateCall(node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node)) return false;
  const callee = node.expression;
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 't' && /(^|\.)l10n$/.test(callee.expression.getText());
}

/** Attributes whose values are for the browser (classes, ids, roles, id references), not for people. */
const CODE_ATTRIBUTES = /^(class|className|id|role|type|scope|for|data-[\w-]+|aria-(describedby|labelledby|controls|hidden|live))$/;

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/** A literal that is a type, a module name, a property's name or a browser attribute's value is not read by anyone. */
function isCode(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isPropertyAssignment(parent) && parent.initializer === node && CODE_ATTRIBUTES.test(propertyName(parent.name) ?? '')) return true;
  if (
    ts.isLiteralTypeNode(parent) ||
    ts.isImportDeclaration(parent) ||
    ts.isExportDeclaration(parent) ||
    ts.isExternalModuleReference(parent) ||
    ts.isModuleDeclaration(parent)
  )
    return true;
  if (
    (ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent)) &&
    parent.name === node
  )
    return true;
  if (ts.isImportTypeNode(parent.parent)) return true;
  return false;
}

function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' {} ');
  return undefined;
}

function exempt(source: ts.SourceFile, node: ts.Node): boolean {
  const lines = source.text.split('\n');
  const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
  return EXEMPT.test(lines[line] ?? '') || EXEMPT.test(lines[line - 1] ?? '');
}

/** Every literal with words in it that is not `l10n.t`'s message and not marked exempt. */
export function hardCodedStrings(file: string, text = readFileSync(file, 'utf8')): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const visit = (node: ts.Node): void => {
    if (isTranslateCall(node)) return;
    const literal = literalText(node);
    if (literal !== undefined && WORDS.test(literal) && !isCode(node) && !exempt(source, node)) {
      findings.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, text: literal });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

/** `l10n.t` calls the export cannot read (a message that is not a literal) or that run before the bundle is set (at load). */
export function misusedTranslateCalls(file: string, text = readFileSync(file, 'utf8')): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const at = (node: ts.Node, why: string): void => {
    findings.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, text: why });
  };
  const visit = (node: ts.Node, inFunction: boolean): void => {
    if (isTranslateCall(node)) {
      const [message] = node.arguments;
      const literal = message !== undefined && (ts.isStringLiteral(message) || ts.isNoSubstitutionTemplateLiteral(message));
      const described =
        message !== undefined &&
        ts.isObjectLiteralExpression(message) &&
        message.properties.some(
          (p) =>
            ts.isPropertyAssignment(p) &&
            p.name.getText() === 'message' &&
            (ts.isStringLiteral(p.initializer) || ts.isNoSubstitutionTemplateLiteral(p.initializer)),
        );
      if (!literal && !described) at(node, `l10n.t's message must be a literal: ${node.getText(source).slice(0, 80)}`);
      if (!inFunction) at(node, `l10n.t runs when the module loads, before the bundle is set: ${node.getText(source).slice(0, 80)}`);
    }
    const entersFunction =
      ts.isFunctionLike(node) ||
      ts.isClassStaticBlockDeclaration(node) ||
      (ts.isPropertyDeclaration(node) && !node.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword));
    ts.forEachChild(node, (child) => visit(child, inFunction || entersFunction));
  };
  visit(source, false);
  return findings;
}
