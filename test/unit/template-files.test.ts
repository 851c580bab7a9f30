/**
 * Reading the files settings point at: bytes that are not UTF-8 are refused, never repaired;
 * symlinks are followed inside the workspace folder and refused when they lead outside it;
 * nesting too deep for the parsers is a message, not a stack overflow.
 */
import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadTemplate } from '../../src/providers/aws/template/loadTemplate';
import { readParametersFile } from '../../src/providers/aws/template/parameters';
import { decodeUtf8 } from '../../src/providers/aws/template/textEncoding';
import { templateError } from '../support/templateErrors';

const QUEUE = 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n';

describe('decodeUtf8', () => {
  it('accepts UTF-8, with or without a BOM, including 4-byte characters, and keeps the text exact', () => {
    const text = '\uFEFFDescription: caf\u00e9 \u{1F680} \u2014 ok\n';
    assert.deepEqual(decodeUtf8(Buffer.from(text, 'utf8')), { ok: true, text });
  });

  it('names the line, column and byte of the first invalid byte', () => {
    const bytes = Buffer.concat([Buffer.from('a: 1\nb: \u00e9t\u00e9 '), Buffer.from([0xe9]), Buffer.from('\n')]);
    assert.deepEqual(decodeUtf8(bytes), { ok: false, problem: { kind: 'invalid-utf8', line: 2, column: 8, byte: 0xe9 } });
  });

  it('a UTF-8 surrogate encoding is not UTF-8', () => {
    assert.deepEqual(decodeUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80])), { ok: false, problem: { kind: 'invalid-utf8', line: 1, column: 2, byte: 0xed } });
  });

  it('tells UTF-16 and UTF-32 apart by BOM and by NUL pattern', () => {
    assert.deepEqual(decodeUtf8(Buffer.from([0xff, 0xfe, 0x61, 0])), { ok: false, problem: { kind: 'utf16', endianness: 'little-endian' } });
    assert.deepEqual(decodeUtf8(Buffer.from([0, 0x61, 0, 0x3a, 0, 0x20, 0, 0x31])), { ok: false, problem: { kind: 'utf16', endianness: 'big-endian' } });
    assert.deepEqual(decodeUtf8(Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x61])), { ok: false, problem: { kind: 'utf32', endianness: 'big-endian' } });
  });
});

describe('template and parameters files on disk', () => {
  let root: string;
  let workspace: string;
  let outside: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'stackwatch-files-'));
    workspace = join(root, 'ws');
    outside = join(root, 'outside');
    await mkdir(join(workspace, 'shared'), { recursive: true });
    await mkdir(outside, { recursive: true });
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('a Latin-1 template is refused with line, column and byte, never staged with U+FFFD', async () => {
    const path = join(workspace, 'latin1.yaml');
    await writeFile(path, Buffer.from(`${QUEUE}    Properties:\n      QueueName: caf\u00e9\n`, 'latin1'));
    const error = await templateError(loadTemplate(path));
    assert.equal(
      error.message,
      `latin1.yaml:5:21: The template is not valid UTF-8 at line 5, column 21 (byte 0xE9). It was probably saved as Latin-1 or Windows-1252; save it as UTF-8.`,
    );
    assert.match(error.hint ?? '', /Save with Encoding/);
  });

  it('a template with a UTF-8 BOM loads, and its body is the exact text', async () => {
    const path = join(workspace, 'bom.yaml');
    await writeFile(path, `\uFEFF${QUEUE}`);
    const loaded = await loadTemplate(path);
    assert.equal(loaded.source.body, `\uFEFF${QUEUE}`);
  });

  it('a symlink inside the workspace is followed, to a file inside it', async () => {
    await writeFile(join(workspace, 'shared', 'real.yaml'), QUEUE);
    await symlink(join(workspace, 'shared', 'real.yaml'), join(workspace, 'linked.yaml'));
    const loaded = await loadTemplate(join(workspace, 'linked.yaml'), 'linked.yaml', { workspaceFolder: workspace });
    assert.deepEqual(Object.keys(loaded.document.Resources), ['Queue']);
    assert.equal(loaded.source.path, 'linked.yaml');
  });

  it('a symlink leading outside the workspace is refused, naming the file and where it points', async () => {
    await writeFile(join(outside, 'real.yaml'), QUEUE);
    await symlink(join(outside, 'real.yaml'), join(workspace, 'escape.yaml'));
    const error = await templateError(loadTemplate(join(workspace, 'escape.yaml'), 'escape.yaml', { workspaceFolder: workspace }));
    assert.ok(
      error.message.startsWith(`escape.yaml: The template is a symlink to ${join(outside, 'real.yaml')}, outside the workspace folder ${workspace}.`),
      error.message,
    );
    assert.equal(error.setting, 'stackwatch.templatePath');
    assert.equal(error.file, join(workspace, 'escape.yaml'));
  });

  it('without a workspace folder (tools, tests) the same symlink is followed', async () => {
    const loaded = await loadTemplate(join(workspace, 'escape.yaml'));
    assert.deepEqual(Object.keys(loaded.document.Resources), ['Queue']);
  });

  it('a path the setting names outside the workspace directly is the user’s explicit choice', async () => {
    const loaded = await loadTemplate(join(outside, 'real.yaml'), 'real.yaml', { workspaceFolder: workspace });
    assert.deepEqual(Object.keys(loaded.document.Resources), ['Queue']);
  });

  it('a parameters-file symlink leading outside is refused too', async () => {
    await writeFile(join(outside, 'params.json'), '{"A": "1"}');
    await symlink(join(outside, 'params.json'), join(workspace, 'params.json'));
    const error = await templateError(readParametersFile(join(workspace, 'params.json'), 'params.json', { workspaceFolder: workspace }));
    assert.match(error.message, /^params\.json: The parameters file is a symlink to .*params\.json, outside the workspace folder/);
    assert.equal(error.setting, 'stackwatch.parametersFile');
  });

  it('deep nesting is a message with a line, in YAML, JSON and parameters files', async () => {
    const yaml = join(workspace, 'deep.yaml');
    await writeFile(yaml, `${QUEUE}    Metadata: ${'{a: '.repeat(300)}1${'}'.repeat(300)}\n`);
    const yamlError = await templateError(loadTemplate(yaml));
    assert.equal(
      yamlError.message,
      'deep.yaml:4: The file is nested deeper than 100 levels at line 4. No CloudFormation template needs that; look for brackets or indentation that run away.',
    );

    const json = join(workspace, 'deep.json');
    await writeFile(json, `{"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Metadata":\n${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}}}`);
    const jsonError = await templateError(loadTemplate(json));
    assert.equal(jsonError.line, 2);
    assert.match(jsonError.reason, /nested deeper than 100 levels at line 2/);

    const params = join(workspace, 'deep-params.yaml');
    await writeFile(params, `A: ${'['.repeat(500)}${']'.repeat(500)}\n`);
    const paramsError = await templateError(readParametersFile(params));
    assert.match(paramsError.message, /^deep-params\.yaml:1: Cannot read the parameters file: The file is nested deeper than 100 levels at line 1/);
  });

  it('exactly 100 levels is still fine; 101 is not, in JSON and YAML alike', async () => {
    for (const lists of [97, 98]) {
      // The top level, Resources and Queue are three levels; the lists add the rest.
      const json = join(workspace, `levels-${lists}.json`);
      await writeFile(json, `{"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Metadata": ${'['.repeat(lists)}${']'.repeat(lists)}}}}`);
      const yaml = join(workspace, `levels-${lists}.yaml`);
      await writeFile(yaml, `${QUEUE}    Metadata: ${'['.repeat(lists)}${']'.repeat(lists)}\n`);
      for (const path of [json, yaml]) {
        if (lists === 97) await loadTemplate(path);
        else assert.match((await templateError(loadTemplate(path))).reason, /nested deeper than 100 levels/);
      }
    }
  });
});

describe('InputError', () => {
  it('bounds any reason and hint, whatever a check forgets to quote', async () => {
    const { InputError } = await import('../../src/input/inputError.js');
    const error = new InputError(`bad: ${'x'.repeat(1_048_576)}`, { displayFile: 't.yaml', line: 3, hint: 'h'.repeat(10_000) });
    assert.ok(error.message.startsWith('t.yaml:3: bad: xxx'));
    assert.ok(error.message.length <= 1_010, `${error.message.length}`);
    assert.ok(error.message.endsWith('…'));
    assert.ok((error.hint ?? '').length <= 500);
  });
});
