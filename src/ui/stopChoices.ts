/**
 * The answers to a stop's question as a quick pick lists them (Stop from the Command Palette).
 * Keep comes first: a quick pick opens on its first item, so Enter, like Escape, keeps deploying.
 */
import type { StopQuestion } from '../shared/viewModel';

export interface StopChoice {
  label: string;
  detail?: string;
  stops: boolean;
}

export function stopChoices(question: StopQuestion): StopChoice[] {
  return [
    { label: `$(debug-continue) ${question.keep}`, stops: false },
    { label: `$(debug-stop) ${question.confirm}`, detail: question.detail, stops: true },
  ];
}
