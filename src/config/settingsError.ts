/**
 * A setting that is missing or cannot be used. It is a TemplateError so the deployment's error
 * info (src/deployment/errorInfo.ts) carries the setting and hint to the UI like any bad input.
 */
import { TemplateError } from '../input/inputError';

/** `missing` may be fixed by the first-run flow; `invalid` is shown as is, with Open Settings. */
export type SettingProblem = 'missing' | 'invalid';

export class SettingsError extends TemplateError {
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
