/**
 * A setting that is missing or cannot be used. It is an InputError, so the deployment's error
 * info (src/deployment/errorInfo.ts) carries the setting and hint to the UI like any bad input.
 * Callers tell it apart by its brand (`isSettingsError`), which holds across separately bundled code.
 */
import { InputError } from '../input/inputError';

/** `missing` may be fixed by the first-run flow; `invalid` is shown as is, with Open Settings. */
export type SettingProblem = 'missing' | 'invalid';

const SETTINGS_ERROR = Symbol.for('stackwatch.settingsError');

export class SettingsError extends InputError {
  override readonly name: string = 'SettingsError';
  readonly [SETTINGS_ERROR] = true;
  override readonly setting: string;

  constructor(
    message: string,
    setting: string,
    readonly problem: SettingProblem = 'invalid',
    hint?: string,
  ) {
    super(message, hint === undefined ? { setting } : { setting, hint });
    this.setting = setting;
  }
}

export function isSettingsError(value: unknown): value is SettingsError {
  return typeof value === 'object' && value !== null && (value as { [SETTINGS_ERROR]?: unknown })[SETTINGS_ERROR] === true;
}
