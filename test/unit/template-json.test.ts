import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { scanJson } from '../../src/providers/aws/template/jsonScan';
import { pathKey } from '../../src/providers/aws/template/locator';

const BROKEN = [
  '{"a": 1,}',
  '{"a" 1}',
  '{"a": "b',
  '{"a":1}}',
  '[1,2',
  '{"a": "\u0001"}',
  '{"a": 01}',
  '{"a":1, "b": [1 2]}',
  '{"a": "\\x"}',
  '{"a": "\\u12"}',
  '{"a": tru}',
  '{"a": }',
  '  nope',
];

describe('scanJson', () => {
  it('finds the same error offset as V8 wherever V8 reports one', () => {
    for (const text of BROKEN) {
      let v8: number | undefined;
      try {
        JSON.parse(text);
        assert.fail(`${text} should not parse`);
      } catch (error) {
        const match = /at position (\d+)/.exec((error as Error).message);
        v8 = match ? Number(match[1]) : undefined;
      }
      const scan = scanJson(text);
      assert.equal(scan.ok, false, text);
      if (scan.ok || v8 === undefined) continue;
      // Two deliberate differences: a trailing comma points at the comma (V8: the bracket after
      // it), an unterminated string at its opening quote (V8: the end of the file).
      if (scan.message.startsWith('Trailing comma')) assert.equal(scan.offset, v8 - 1, text);
      else if (scan.message.startsWith('Unterminated string')) assert.equal(scan.offset, text.lastIndexOf('"'), text);
      else assert.equal(scan.offset, v8, `${text}: ${scan.message}`);
    }
  });

  it('places errors V8 gives no position for', () => {
    const scan = scanJson('{"a": }');
    assert.deepEqual(scan.ok ? undefined : [scan.offset, scan.message], [6, "Unexpected '}': expected a value"]);
  });

  it('records keys and list items by path, and accepts what JSON.parse accepts', () => {
    const text = '\uFEFF{ "A": { "B": [ 10, {"C": "x\\"y"} ] }, "D": -1.5e3, "E": [true, false, null] }';
    const scan = scanJson(text);
    assert.ok(scan.ok);
    assert.equal(scan.offsets.get(pathKey(['A'])), text.indexOf('"A"'));
    assert.equal(scan.offsets.get(pathKey(['A', 'B', 1])), text.indexOf('{"C"'));
    assert.equal(scan.offsets.get(pathKey(['A', 'B', 1, 'C'])), text.indexOf('"C"'));
    assert.equal(scan.offsets.get(pathKey(['E', 2])), text.indexOf('null'));
  });
});
