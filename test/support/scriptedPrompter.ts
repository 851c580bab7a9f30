/**
 * A fake person at the configure flow's Prompter: answers from a script, one per asked step,
 * and behaves as VS Code's quick pick and input box do: a value that fails the step's check is
 * not accepted (its message is recorded, and the next scripted answer is tried for the same
 * step), a typed value is taken by a pick only when the step allows typing, and ESC cancels.
 */
import type { InputStep, PickStep, Prompter } from '../../src/commands/prompter';

export const ESC = Symbol('Escape');

export interface AskedStep {
  kind: 'pick' | 'input';
  title: string;
  /** The pick's values in order, or the input's prefilled value. */
  offered: string[];
  /** Item descriptions (pick) by value. */
  descriptions: Record<string, string | undefined>;
  /** The pick's placeholder or the input's prompt. */
  text: string;
  /** Messages shown for answers that were refused. */
  refused: string[];
  /** What the step ended with. */
  answer: string | typeof ESC;
}

/** An answer: a value (picked if listed, else typed), ESC, or `''` (accept the prefilled / first offer). */
export type Answer = string | typeof ESC;

export class ScriptedPrompter implements Prompter {
  readonly asked: AskedStep[] = [];
  private readonly script: Answer[];

  constructor(script: Answer[]) {
    this.script = [...script];
  }

  async pick(step: PickStep): Promise<string | undefined> {
    const record: AskedStep = {
      kind: 'pick',
      title: step.title,
      offered: step.items.map((i) => i.value),
      descriptions: Object.fromEntries(step.items.map((i) => [i.value, i.description])),
      text: step.placeholder,
      refused: [],
      answer: ESC,
    };
    this.asked.push(record);
    for (;;) {
      const answer = this.next(step.title);
      if (answer === ESC) return undefined;
      const value = answer === '' ? (step.items[0]?.value ?? '') : answer;
      const listed = step.items.some((i) => i.value === value);
      const problem = !listed && !step.allowTyped ? 'Not one of the offered items.' : step.validate(value);
      if (problem) {
        record.refused.push(problem);
        continue;
      }
      record.answer = value;
      return value;
    }
  }

  async input(step: InputStep): Promise<string | undefined> {
    const record: AskedStep = { kind: 'input', title: step.title, offered: [step.value], descriptions: {}, text: step.prompt, refused: [], answer: ESC };
    this.asked.push(record);
    for (;;) {
      const answer = this.next(step.title);
      if (answer === ESC) return undefined;
      const value = answer === '' ? step.value : answer;
      const problem = step.validate(value);
      if (problem) {
        record.refused.push(problem);
        continue;
      }
      record.answer = value;
      return value;
    }
  }

  private next(title: string): Answer {
    if (this.script.length === 0) throw new Error(`The script has no answer left for "${title}".`);
    return this.script.shift() as Answer;
  }
}

/** Settings in memory, full keys; records every write in order. */
export class MemorySettings {
  readonly writes: [string, unknown][] = [];
  constructor(private readonly values: Record<string, unknown> = {}) {}

  get(key: string): unknown {
    return this.values[key];
  }

  async update(key: string, value: unknown): Promise<void> {
    this.writes.push([key, value]);
    this.values[key] = value;
  }
}
