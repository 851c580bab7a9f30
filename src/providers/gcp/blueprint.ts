/**
 * A blueprint's input variables, read from its `.tf` files, and the checks that tell a user
 * which input value is wrong before anything is uploaded or planned.
 */
import * as l10n from '@vscode/l10n';
import { closestMatch } from '../../input/editDistance';
import { tokenize, type Token } from './hclTokens';

export type VariableKind = 'string' | 'number' | 'bool' | 'list' | 'map' | 'any';

export interface BlueprintVariable {
  name: string;
  kind: VariableKind;
  /** The type expression as written, e.g. `list(string)`; absent when untyped. */
  typeExpression?: string;
  hasDefault: boolean;
  /** The default as written (a string's contents, or the expression's source text). */
  defaultText?: string;
  sensitive: boolean;
  description?: string;
  /** The .tf file (as given to the scanner) and 1-based line of the `variable` keyword. */
  file: string;
  line: number;
}

const KIND_OF_TYPE: Record<string, VariableKind> = {
  string: 'string',
  number: 'number',
  bool: 'bool',
  list: 'list',
  set: 'list',
  tuple: 'list',
  map: 'map',
  object: 'map',
  any: 'any',
};

interface Attribute {
  tokens: Token[];
  text: string;
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** Skips a balanced group starting at tokens[i] (an opener); returns the index after it. */
function skipGroup(tokens: Token[], i: number): number {
  const stack: string[] = [];
  for (let j = i; j < tokens.length; j++) {
    const t = tokens[j];
    if (t.kind !== 'punct') continue;
    if (OPEN[t.value]) stack.push(OPEN[t.value]);
    else if (stack.length > 0 && t.value === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return j + 1;
    }
  }
  return tokens.length;
}

/** The attributes directly inside a block body starting after its `{`; returns them and the index after `}`. */
function readBody(source: string, tokens: Token[], i: number): { attributes: Map<string, Attribute>; next: number } {
  const attributes = new Map<string, Attribute>();
  while (i < tokens.length) {
    const t = tokens[i];
    if (t.kind === 'newline') {
      i++;
      continue;
    }
    if (t.kind === 'punct' && t.value === '}') return { attributes, next: i + 1 };
    const after = tokens[i + 1];
    if (t.kind === 'ident' && after?.kind === 'punct' && after.value === '=') {
      // The value runs to the end of the line, unless brackets keep it open.
      let j = i + 2;
      const valueTokens: Token[] = [];
      while (j < tokens.length && tokens[j].kind !== 'newline' && !(tokens[j].kind === 'punct' && tokens[j].value === '}')) {
        if (tokens[j].kind === 'punct' && OPEN[tokens[j].value]) {
          const end = skipGroup(tokens, j);
          valueTokens.push(...tokens.slice(j, end));
          j = end;
        } else {
          valueTokens.push(tokens[j]);
          j++;
        }
      }
      const text = valueTokens.length > 0 ? source.slice(valueTokens[0].start, valueTokens[valueTokens.length - 1].end).trim() : '';
      attributes.set(t.value, { tokens: valueTokens, text });
      i = j;
      continue;
    }
    // A nested block (`validation { … }`) or something we do not read: skip it whole.
    let j = i;
    while (j < tokens.length && tokens[j].kind !== 'newline' && !(tokens[j].kind === 'punct' && tokens[j].value === '{')) j++;
    i = j < tokens.length && tokens[j].kind === 'punct' ? skipGroup(tokens, j) : j + 1;
  }
  return { attributes, next: i };
}

function kindOf(typeText: string | undefined): VariableKind {
  if (!typeText) return 'any';
  const head = /^[a-z]+/.exec(typeText)?.[0] ?? '';
  return KIND_OF_TYPE[head] ?? 'any';
}

function stringValue(attribute: Attribute | undefined): string | undefined {
  if (!attribute) return undefined;
  return attribute.tokens.length === 1 && attribute.tokens[0].kind === 'string' ? attribute.tokens[0].value : attribute.text;
}

/** Every `variable "name" { … }` block in one file's text. */
export function scanVariables(source: string, file: string): BlueprintVariable[] {
  const tokens = tokenize(source);
  const found: BlueprintVariable[] = [];
  walkTopLevel(tokens, (i) => {
    const [t, label, brace] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (!(
      t.kind === 'ident' &&
      t.value === 'variable' &&
      label &&
      (label.kind === 'string' || label.kind === 'ident') &&
      brace?.kind === 'punct' &&
      brace.value === '{'
    ))
      return undefined;
    const { attributes, next } = readBody(source, tokens, i + 3);
    const type = attributes.get('type')?.text;
    found.push({
      name: label.value,
      kind: kindOf(type),
      typeExpression: type || undefined,
      hasDefault: attributes.has('default'),
      defaultText: stringValue(attributes.get('default')),
      sensitive: attributes.get('sensitive')?.text === 'true',
      description: stringValue(attributes.get('description')),
      file,
      line: t.line,
    });
    return next;
  });
  return found;
}

/**
 * Visits each token at a file's top level, stepping over nested groups; `visit` answers where to
 * go on from when it took the token (a whole block), or undefined to move to the next token.
 */
function walkTopLevel(tokens: Token[], visit: (i: number) => number | undefined): void {
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i];
    i = t.kind === 'punct' && OPEN[t.value] ? skipGroup(tokens, i) : (visit(i) ?? i + 1);
  }
}

// ---------- input values ----------

export interface InputProblem {
  key: string;
  kind: 'unknown' | 'missing' | 'type';
  message: string;
  /** The declaration to point at, when there is one. */
  variable?: BlueprintVariable;
}

/** The value as the end of "…, but its value is {0}.": a noun phrase. */
function describeValue(value: unknown, sensitive: boolean): string {
  if (value === null) return 'null'; // Terraform's and JSON's keyword, not a word to translate
  // A sensitive variable's value is named by its kind only: messages end up in logs and history.
  if (sensitive) {
    if (Array.isArray(value)) return l10n.t('a list (sensitive, not shown)');
    if (typeof value === 'object') return l10n.t('an object (sensitive, not shown)');
    if (typeof value === 'boolean') return l10n.t('a bool (sensitive, not shown)');
    if (typeof value === 'number') return l10n.t('a number (sensitive, not shown)');
    if (typeof value === 'string') return l10n.t('a string (sensitive, not shown)');
    return l10n.t('a {0} (sensitive, not shown)', typeof value);
  }
  if (Array.isArray(value)) return l10n.t('a list');
  if (typeof value === 'object') return l10n.t('an object');
  if (typeof value === 'string') return l10n.t('the string {0}', JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value));
  if (typeof value === 'boolean') return l10n.t('the bool {0}', String(value));
  if (typeof value === 'number') return l10n.t('the number {0}', String(value));
  // No other kind of value comes from JSON settings; named by its kind if one is passed in.
  return l10n.t('a {0} value', typeof value);
}

/** Terraform converts between primitives the way it does here; anything else is a mistake. */
function matchesKind(kind: VariableKind, value: unknown): boolean {
  switch (kind) {
    case 'any':
      return value !== undefined;
    case 'string':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    case 'number':
      return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)));
    case 'bool':
      return typeof value === 'boolean' || value === 'true' || value === 'false';
    case 'list':
      return Array.isArray(value);
    case 'map':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/** Unknown keys (with the closest name), required variables without a value, and values of the wrong type. */
export function checkInputValues(variables: readonly BlueprintVariable[], values: Readonly<Record<string, unknown>>): InputProblem[] {
  const byName = new Map(variables.map((variable) => [variable.name, variable]));
  const problems: InputProblem[] = [];
  for (const [key, value] of Object.entries(values)) {
    const variable = byName.get(key);
    if (!variable) {
      const suggestion = closestMatch(key, byName.keys());
      const declared =
        variables.length === 0 ? l10n.t('The blueprint declares no variables.') : l10n.t('Declared variables: {0}.', [...byName.keys()].sort().join(', '));
      problems.push({
        key,
        kind: 'unknown',
        message: suggestion
          ? l10n.t('"{0}" is not a variable of the blueprint. Did you mean "{1}"? {2}', key, suggestion, declared)
          : l10n.t('"{0}" is not a variable of the blueprint. {1}', key, declared),
      });
      continue;
    }
    if (value === null && variable.hasDefault) continue;
    if (value === null || !matchesKind(variable.kind, value)) {
      const type = variable.typeExpression ?? variable.kind;
      problems.push({
        key,
        kind: 'type',
        variable,
        message: l10n.t('Variable "{0}" has type {1}, but its value is {2}.', key, type, describeValue(value, variable.sensitive)),
      });
    }
  }
  for (const variable of variables) {
    if (!variable.hasDefault && !Object.hasOwn(values, variable.name)) {
      problems.push({
        key: variable.name,
        kind: 'missing',
        variable,
        message: variable.description
          ? l10n.t('Variable "{0}" has no default and no value ({1}).', variable.name, variable.description)
          : l10n.t('Variable "{0}" has no default and no value.', variable.name),
      });
    }
  }
  return problems;
}

// ---------- state backends ----------

/** A `backend "TYPE" {}` (or `cloud {}`) block inside a root module's `terraform {}` block. */
export interface BackendBlock {
  /** `backend "gcs"` or `cloud`, as written. */
  what: string;
  file: string;
  /** 1-based line of the `backend` (or `cloud`) keyword. */
  line: number;
}

/**
 * Every block that tells Terraform where to keep its state. Infrastructure Manager keeps the
 * state itself and its docs forbid them ("Don't define backend blocks", Terraform configuration
 * constraints, https://cloud.google.com/infrastructure-manager/docs/terraform); a `cloud` block
 * is Terraform's other way of naming the state's home (mutually exclusive with `backend`), so it
 * is refused for the same reason.
 */
export function findBackendBlocks(source: string, file: string): BackendBlock[] {
  const tokens = tokenize(source);
  const found: BackendBlock[] = [];
  walkTopLevel(tokens, (i) => {
    const [t, brace] = [tokens[i], tokens[i + 1]];
    if (!(t.kind === 'ident' && t.value === 'terraform' && brace?.kind === 'punct' && brace.value === '{')) return undefined;
    const end = skipGroup(tokens, i + 1);
    found.push(...stateBlocksIn(tokens, i + 2, end - 1, file));
    return end;
  });
  return found;
}

/** The `backend`/`cloud` blocks directly inside one `terraform { … }` body (tokens [from, to)). */
function stateBlocksIn(tokens: Token[], from: number, to: number, file: string): BackendBlock[] {
  const found: BackendBlock[] = [];
  let i = from;
  while (i < to) {
    const t = tokens[i];
    if (t.kind === 'punct' && OPEN[t.value]) {
      i = skipGroup(tokens, i);
      continue;
    }
    const next = tokens[i + 1];
    const afterLabel = tokens[i + 2];
    const atLineStart = i === from || tokens[i - 1]?.kind === 'newline' || (tokens[i - 1]?.kind === 'punct' && tokens[i - 1]?.value === '{');
    if (
      atLineStart &&
      t.kind === 'ident' &&
      t.value === 'backend' &&
      next &&
      (next.kind === 'string' || next.kind === 'ident') &&
      afterLabel?.kind === 'punct' &&
      afterLabel.value === '{'
    ) {
      found.push({ what: `backend "${next.value}"`, file, line: t.line });
    } else if (atLineStart && t.kind === 'ident' && t.value === 'cloud' && next?.kind === 'punct' && next.value === '{') {
      found.push({ what: 'cloud', file, line: t.line });
    }
    i++;
  }
  return found;
}
