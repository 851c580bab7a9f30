/**
 * The one schema every `stackwatch.*` setting is read through: the common settings here, each
 * provider's in its descriptor, every one with its key, parser and default. Pure (no `vscode`),
 * so tests read settings exactly as the extension does; readSettings.ts supplies the values.
 *
 * Only the settings of the configured provider are read: a stray setting of another provider
 * does not block a deployment. Every value of those is checked, set or not.
 */
import { SETTING_KEYS } from '../commands/ids';
import { allDescriptors, defaultKind, descriptorOf, knownKinds } from '../providers/registry';
import { COMMON_SETTINGS } from './commonSettings';
import { oneOf, setting, type ReadSetting, type Setting, type SettingReader, type SettingsPlace } from './settingTypes';
import type { StackSettings } from './stackSettings';

/** Which provider's descriptor reads the rest. */
const PROVIDER = setting(SETTING_KEYS.provider, oneOf(knownKinds(), defaultKind()));

/** Every setting in package.json's `contributes.configuration`, and how its value is checked. */
export function allSettings(): Setting<unknown>[] {
  return [PROVIDER, ...Object.values(COMMON_SETTINGS), ...allDescriptors().flatMap((d) => d.settings.all)];
}

/** The settings a deployment runs with, plus the workspace-only ones. */
export interface WorkspaceSettings {
  settings: StackSettings;
  /** Name of a VS Code task to run first; empty when none. */
  buildTask: string;
}

/** Reads and checks the settings; throws a SettingsError naming the first one that is wrong or missing. */
export function parseWorkspaceSettings(reader: SettingReader, place: SettingsPlace): WorkspaceSettings {
  const read: ReadSetting = (entry) => entry.parse(reader(entry.key), entry.key);
  const common = {
    autoExecute: read(COMMON_SETTINGS.autoExecute),
    autoExecuteDestructive: read(COMMON_SETTINGS.autoExecuteDestructive),
  };
  const buildTask = read(COMMON_SETTINGS.buildTask) ?? '';
  const settings = descriptorOf(read(PROVIDER)).settings.read(read, place, common);
  return { settings, buildTask };
}
