/**
 * The quick-pick UI a configure flow talks to, as plain data: flows written against it run in
 * tests with a scripted prompter, and in VS Code with vscodePrompter.ts.
 */

export interface PickItem {
  /** What is written to the setting when this item is picked. */
  value: string;
  description?: string;
  detail?: string;
}

export interface PickStep {
  title: string;
  placeholder: string;
  items: PickItem[];
  /** False: only an item may be chosen. True: a typed value is taken too, once `validate` passes. */
  allowTyped: boolean;
  /** Checks the picked or typed value; a message blocks accepting it. */
  validate: (value: string) => string | undefined;
}

export interface InputStep {
  title: string;
  prompt: string;
  value: string;
  validate: (value: string) => string | undefined;
}

/** The UI. `undefined` means the person cancelled (Escape). */
export interface Prompter {
  pick(step: PickStep): Promise<string | undefined>;
  input(step: InputStep): Promise<string | undefined>;
}
