/**
 * Path → offset for a CloudFormation YAML document. A short-form tag adds the long-form key
 * the parsed value has (`Name: !Ref X` parses to {Name: {Ref: X}}), so ['…', 'Name', 'Ref']
 * points at `!Ref X`, just as it points at the `Ref` key in long form.
 */
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { intrinsicForTag } from './cfnYaml';
import { pathKey, type ValuePath } from './locator';

export function yamlPathOffsets(document: Document): Map<string, number> {
  const offsets = new Map<string, number>();
  const record = (path: ValuePath, node: unknown): void => {
    const range = (node as Node | null | undefined)?.range;
    if (range && !offsets.has(pathKey(path))) offsets.set(pathKey(path), range[0]);
  };

  const walk = (node: unknown, path: ValuePath): void => {
    if (node === null || typeof node !== 'object') return;
    const intrinsic = intrinsicForTag((node as Node).tag);
    if (intrinsic) {
      path = [...path, intrinsic];
      record(path, node);
      // `!GetAtt Res.Attr` parses to a two-item list held in one scalar.
      if (isScalar(node) && intrinsic === 'Fn::GetAtt') {
        record([...path, 0], node);
        record([...path, 1], node);
      }
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key === undefined) continue;
        const childPath = [...path, key];
        record(childPath, pair.key);
        walk(pair.value, childPath);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        record([...path, index], item);
        walk(item, [...path, index]);
      });
    }
  };

  record([], document.contents);
  walk(document.contents, []);
  return offsets;
}
