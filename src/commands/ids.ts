/**
 * Every command ID, context key and provider-neutral setting key the extension contributes, in
 * one place, so no file spells one out by hand; contributions.test.ts holds them against
 * package.json both ways. Each provider's own setting keys live with that provider (its
 * descriptor lists them), since only it reads them.
 */

export const COMMANDS = {
  deployProject: 'stackwatch.deployProject',
  showMonitor: 'stackwatch.showMonitor',
  saveStagedTemplate: 'stackwatch.saveStagedTemplate',
  stopDeployment: 'stackwatch.stopDeployment',
  showLogs: 'stackwatch.showLogs',
  showLastDeployment: 'stackwatch.showLastDeployment',
  configureStack: 'stackwatch.configureStack',
  compareWithDeployed: 'stackwatch.compareWithDeployed',
  getStarted: 'stackwatch.getStarted',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** `when`-clause context keys the extension sets. */
export const CONTEXT_KEYS = {
  /** Some deployment in this window can be stopped now (not in review, not already stopping or rolling back): Stop shows in the menus. */
  canStop: 'stackwatch.canStop',
  /** The active editor holds a provider's input file whose name does not say so. */
  isTemplate: 'stackwatch.isTemplate',
  /** Some deployment in this window waits in review: Compare with Deployed shows in the menus. */
  canCompare: 'stackwatch.canCompare',
  /** Some deployment in this window has a staged template (or plan) to save: Save Staged Template shows. */
  canSaveStaged: 'stackwatch.canSaveStaged',
  /** Some deployment was started or reattached in this window, so the log has its lines: Show Deployment Logs shows. */
  hasDeployment: 'stackwatch.hasDeployment',
} as const;

/** The settings every provider shares. */
export const SETTING_KEYS = {
  provider: 'stackwatch.provider',
  /** The target's name; a provider may read its own setting first. */
  stackName: 'stackwatch.stackName',
  autoExecute: 'stackwatch.autoExecute',
  autoExecuteDestructive: 'stackwatch.autoExecuteDestructive',
  buildTask: 'stackwatch.buildTask',
} as const;

export type SettingKey = (typeof SETTING_KEYS)[keyof typeof SETTING_KEYS];
