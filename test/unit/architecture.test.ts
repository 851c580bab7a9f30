/**
 * The layering rule, over the import graph of src/ and webview-ui/src: core code (everything
 * outside src/providers) reaches a provider only through the port, the descriptor types and the
 * registry directly in src/providers, and never names a provider or its terms; each provider's
 * runtime is loaded only by its own descriptor, with a dynamic import (the build turns exactly
 * that import into a separate bundle). Also: no source file over 400 lines.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
const SOURCE_ROOTS = ['src', 'webview-ui/src'];
const PROVIDERS = 'src/providers';
const MAX_LINES = 400;

/** Terms core code must not use, in code or comments; each with what it matches. */
const FORBIDDEN_TERMS: readonly { term: string; pattern: RegExp }[] = [
  { term: "the kind 'aws'", pattern: /(['"`])aws\1/ },
  { term: "the kind 'gcp'", pattern: /(['"`])gcp\1/ },
  { term: 'CloudFormation', pattern: /cloud\s*formation/i },
  { term: 'Infrastructure Manager', pattern: /infrastructure[\s-]*manager/i },
  { term: 'change set', pattern: /change[\s_-]?set/i },
  { term: 'Terraform', pattern: /terraform/i },
  { term: 'cfn', pattern: /(?<![a-z])cfn/i },
  { term: '@aws-sdk', pattern: /@aws-sdk/i },
  { term: 'googleapis', pattern: /googleapis/i },
  { term: 'AWS', pattern: /\bAWS\b/ },
  { term: 'Google', pattern: /\bGoogle\b/ },
  { term: 'NoEcho', pattern: /noecho/i },
  { term: 'blueprint', pattern: /blueprint/i },
];

interface ImportEdge {
  from: string;
  /** Repo-relative path of the imported source file; undefined for a package. */
  to: string | undefined;
  specifier: string;
  line: number;
  dynamic: boolean;
}

function posix(path: string): string {
  return path.split(sep).join('/');
}

function sourceFiles(dir: string, named: RegExp): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) found.push(...sourceFiles(full, named));
    else if (named.test(name) && !name.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

const FILES = SOURCE_ROOTS.flatMap((root) => sourceFiles(join(ROOT, root), /\.tsx?$/)).map((f) => posix(relative(ROOT, f)));
/** Everything written by hand that the size rule covers: the code and the webview's styles. */
const SIZED_FILES = SOURCE_ROOTS.flatMap((root) => sourceFiles(join(ROOT, root), /\.(tsx?|css)$/)).map((f) => posix(relative(ROOT, f)));

/** A relative specifier as the file it names ('./x.js' is x.ts, a folder its index.ts). */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = join(ROOT, dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts'), base];
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  return posix(relative(ROOT, hit ?? base));
}

function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edges: ImportEdge[] = [];
  const add = (literal: ts.Node, dynamic: boolean): void => {
    if (!ts.isStringLiteralLike(literal)) return;
    const line = source.getLineAndCharacterOfPosition(literal.getStart()).line + 1;
    edges.push({ from: file, to: resolveSpecifier(file, literal.text), specifier: literal.text, line, dynamic });
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) add(node.moduleSpecifier, false);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression, false);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0]) add(node.arguments[0], true);
    else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments[0])
      add(node.arguments[0], false);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, false);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

const EDGES = FILES.flatMap(importsOf);

function isCore(file: string): boolean {
  return !file.startsWith(`${PROVIDERS}/`);
}

/** A provider's own folder: one that holds a descriptor (src/providers/port/ is the port, not a provider). */
function providerFolderOf(file: string): string | undefined {
  const match = /^src\/providers\/([^/]+)\//.exec(file);
  return match && existsSync(join(ROOT, PROVIDERS, match[1], 'descriptor.ts')) ? `${PROVIDERS}/${match[1]}` : undefined;
}

/** The port, the descriptor types, the registry and the generic helpers are core's to import; a provider's folder is not. */
function isProviderInternal(file: string): boolean {
  return providerFolderOf(file) !== undefined;
}

function report(offences: string[]): string {
  return `${offences.length} offence(s):\n  ${offences.join('\n  ')}`;
}

describe('architecture: the import graph', () => {
  it('finds the source files and their imports (the rules below are not vacuous)', () => {
    assert.ok(FILES.includes('src/extension.ts') && FILES.includes(`${PROVIDERS}/registry.ts`), 'source files not found');
    assert.ok(
      EDGES.some((e) => e.to === `${PROVIDERS}/registry.ts` && isCore(e.from)),
      'no core file imports the registry',
    );
    assert.ok(
      EDGES.some((e) => e.dynamic && e.to?.endsWith('/runtime.ts')),
      'no dynamic import of a provider runtime found',
    );
  });

  it('no file outside src/providers imports a module inside a provider folder', () => {
    const offences = EDGES.filter((e) => isCore(e.from) && e.to !== undefined && isProviderInternal(e.to)).map(
      (e) => `${e.from}:${e.line}: imports ${e.specifier} (${e.to}); use the registry or a module directly in src/providers`,
    );
    assert.equal(offences.length, 0, report(offences));
  });

  it('the shared modules in src/providers outside the provider folders (all but the registry) pass nothing from a provider folder on to core', () => {
    // Otherwise a re-export there (`export { x } from './aws/…'`) would hand core a provider's internals.
    const offences = EDGES.filter(
      (e) =>
        e.from.startsWith(`${PROVIDERS}/`) &&
        providerFolderOf(e.from) === undefined &&
        e.from !== `${PROVIDERS}/registry.ts` &&
        e.to !== undefined &&
        isProviderInternal(e.to),
    ).map((e) => `${e.from}:${e.line}: imports ${e.specifier} (${e.to}); only registry.ts may reach into a provider folder`);
    assert.equal(offences.length, 0, report(offences));
  });

  it('the registry reaches each provider only through its descriptor', () => {
    const offences = EDGES.filter(
      (e) => e.from === `${PROVIDERS}/registry.ts` && e.to !== undefined && isProviderInternal(e.to) && !/^src\/providers\/[^/]+\/descriptor\.ts$/.test(e.to),
    ).map((e) => `${e.from}:${e.line}: imports ${e.specifier} (${e.to})`);
    assert.equal(offences.length, 0, report(offences));
  });

  it("a provider's runtime is loaded only by its own descriptor, with import('./runtime.js')", () => {
    const offences = EDGES.filter((e) => e.to !== undefined && /^src\/providers\/[^/]+\/runtime\.ts$/.test(e.to))
      .filter((e) => e.from !== `${dirname(e.to ?? '')}/descriptor.ts` || !e.dynamic || e.specifier !== './runtime.js')
      .map((e) => `${e.from}:${e.line}: ${e.dynamic ? 'import(' : 'static import '}${e.specifier}${e.dynamic ? ')' : ''} of ${e.to}`);
    assert.equal(offences.length, 0, report(offences));
  });
});

describe('architecture: core code names no provider', () => {
  it('no file outside src/providers mentions a provider kind or its terms, in code or comments', () => {
    const offences: string[] = [];
    for (const file of FILES.filter(isCore)) {
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .forEach((text, index) => {
          for (const { term, pattern } of FORBIDDEN_TERMS) if (pattern.test(text)) offences.push(`${file}:${index + 1}: ${term}: ${text.trim().slice(0, 120)}`);
        });
    }
    assert.equal(offences.length, 0, report(offences));
  });
});

describe('architecture: small modules', () => {
  it(`no source file is over ${MAX_LINES} lines`, () => {
    const offences = SIZED_FILES.map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').replace(/\n$/, '').split('\n').length }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    assert.equal(offences.length, 0, report(offences));
  });
});
