/**
 * A template with several YAML problems: each goes to the Problems panel at its own line and
 * column, through the real loader, the error a deployment keeps, and the reporter's entries.
 */
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toErrorInfo } from '../../src/deployment/errorInfo';
import { InputError } from '../../src/input/inputError';
import { loadTemplate } from '../../src/providers/aws/template/loadTemplate';
import { inputProblemEntries } from '../../src/ui/inputProblems';
import { templateError } from '../support/templateErrors';

const THREE_PROBLEMS = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: [a, b
  Bucket:
    Type: AWS::S3::Bucket
    Properties: {x: 1
  Other:
     Type: x
    Properties: y
`;

const ONE_PROBLEM = `Resources:
  Queue:
    Type: !Bogus AWS::SQS::Queue
`;

describe('YAML problems in the Problems panel', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stackwatch-yaml-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function errorOf(name: string, body: string) {
    const file = join(dir, name);
    await writeFile(file, body);
    return toErrorInfo(await templateError(loadTemplate(file, name)));
  }

  it('three problems: three entries, each at its own line and column', async () => {
    const error = await errorOf('three.yaml', THREE_PROBLEMS);
    const entries = inputProblemEntries(error);
    assert.deepEqual(
      entries.map((e) => [e.line, e.column]),
      [
        [6, 18],
        [9, 17],
        [12, 1],
      ],
    );
    assert.match(entries[0].message, /This \[ is never closed/);
    assert.match(entries[1].message, /This \{ is never closed/);
    assert.match(entries[2].message, /same column/);
    assert.match(
      error.message,
      /^three\.yaml:6:18: This \[ is never closed\..* There are 2 more YAML problems, on lines 9 and 12; the Problems panel lists each\.$/,
    );
  });

  it('unknown references: each at its own line', async () => {
    const body = `Resources:
  Queue:
    Type: AWS::SQS::Queue
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Ref Quue
      KmsMasterKeyId: !GetAtt Keyy.Arn
  Other:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !Ref Nothing
`;
    const error = await errorOf('refs.yaml', body);
    const entries = inputProblemEntries(error);
    assert.deepEqual(
      entries.map((e) => e.line),
      [7, 8, 12],
    );
    assert.match(entries[1].message, /Fn::GetAtt Keyy/);
    assert.match(error.message, /There are 2 more unknown references, on lines 8 and 12; the Problems panel lists each\.$/);
  });

  it('one problem: one entry, and the message speaks of no others', async () => {
    const error = await errorOf('one.yaml', ONE_PROBLEM);
    const entries = inputProblemEntries(error);
    assert.deepEqual(
      entries.map((e) => [e.line, e.column]),
      [[3, 11]],
    );
    assert.doesNotMatch(error.message, /more YAML problem/);
  });

  it('a problem in another file keeps its file, through the error a deployment keeps', () => {
    const error = new InputError('Parameter A is wrong.', {
      file: '/w/template.yaml',
      line: 3,
      moreProblems: [
        { message: 'Parameter B is wrong.', file: '/w/params.json', line: 2, column: 5 },
        { message: 'Parameter C is wrong.', line: 9 },
      ],
    });
    assert.deepEqual(
      inputProblemEntries(toErrorInfo(error)).map((e) => [e.file, e.line]),
      [
        [undefined, 3],
        ['/w/params.json', 2],
        [undefined, 9],
      ],
    );
  });
});
