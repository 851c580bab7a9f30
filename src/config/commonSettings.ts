/**
 * The settings every provider shares, apart from the provider choice itself (settingsSchema.ts
 * adds that, from the registry). Kept apart so a provider's own modules can read these without
 * importing the registry, and with it every other provider.
 */
import { SETTING_KEYS } from '../commands/ids';
import { flag, setting, text } from './settingTypes';

export const COMMON_SETTINGS = {
  autoExecute: setting(SETTING_KEYS.autoExecute, flag(false)),
  autoExecuteDestructive: setting(SETTING_KEYS.autoExecuteDestructive, flag(false)),
  buildTask: setting(SETTING_KEYS.buildTask, text()),
  /** The target's name; a provider may read its own setting first. */
  stackName: setting(SETTING_KEYS.stackName, text()),
} as const;
