/**
 * The Problems panel's view of deployments, per target: what the provider's validation found in
 * what was staged (errors that failed it, warnings that did not), and the failures of a
 * deployment that ended badly, each on the template line it points at. A target's findings are
 * replaced by its next staging; its failures stay until its next deployment succeeds (and are
 * replaced by the next failure), across window reloads: history keeps them (historyProblems.ts).
 * Input errors found before staging are InputErrorReporter's.
 */
import * as l10n from '@vscode/l10n';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { HistoryStore } from '../app/history';
import { standingProblems, type HistoryProblems } from '../app/historyProblems';
import type { DeploymentSnapshot } from '../deployment/machine';
import type { DeploymentSession } from '../deployment/session';
import type { TemplateFinding, TemplateSource } from '../providers/provider';
import { endedFailurePlacements, failurePlacements, failureVerdict, stagedFindingPlacements, type Placement } from './diagnosticPlacement';
import { fileOfTemplate, locationFile, locatorFor, locatorOver, rangeAt } from './templatePlaces';

export const DEPLOYMENT_DIAGNOSTICS = 'stackwatch-deployment';

interface Placed {
  file: string;
  diagnostic: vscode.Diagnostic;
}

interface TargetProblems {
  findings: Placed[];
  failures: Placed[];
  /** Bumped by each new placement of a kind, so a slow locate never writes over a newer one. */
  generation: { findings: number; failures: number };
}

export class TemplateDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DEPLOYMENT_DIAGNOSTICS);
  private readonly targets = new Map<string, TargetProblems>();
  /** Files that hold a diagnostic now, so a file left with none is cleared. */
  private shownFiles = new Set<string>();

  constructor(
    private readonly workspaceFolder: () => string | undefined,
    private readonly log?: Pick<vscode.LogOutputChannel, 'warn'>,
  ) {}

  /** Follows a deployment: its findings as its staging reports them, its failures when it ends. */
  watch(session: DeploymentSession): void {
    const problems = this.problemsOf(session.key);
    problems.findings = [];
    problems.generation.findings++;
    this.render();
    let lastFindings: readonly TemplateFinding[] | undefined;
    const followFindings = (snapshot: DeploymentSnapshot): void => {
      const findings = snapshot.context.findings;
      if (findings === lastFindings) return;
      lastFindings = findings;
      void this.place(session.key, snapshot, 'findings');
    };
    followFindings(session.snapshot);
    const unsubscribe = session.onDidChange(followFindings);
    void session.finished.then((end) => {
      unsubscribe();
      const verdict = failureVerdict(end);
      if (verdict === 'clear') {
        problems.failures = [];
        problems.generation.failures++;
        this.render();
      } else if (verdict === 'replace') {
        void this.place(session.key, end, 'failures');
      }
    });
  }

  /**
   * After a window reload: each target's failures still standing in its history (its last
   * deployment that ran failed, and none succeeded since), placed again on the template as it
   * reads now. A deployment followed since then decides instead (the newer generation wins).
   */
  async restore(history: Pick<HistoryStore, 'targets'>): Promise<void> {
    const folder = this.workspaceFolder();
    await Promise.all(
      history.targets().map(async ({ stackKey, entries }) => {
        const standing = standingProblems(entries);
        const provider = entries[0]?.provider;
        if (!standing || !provider) return;
        const problems = this.problemsOf(stackKey);
        const generation = ++problems.generation.failures;
        try {
          const file = fileOfTemplate(standing.template, folder);
          const locate = (await locatorOver(provider, await templateAt(file, standing.template), folder)) ?? (() => undefined);
          const placements = failurePlacements(standing, locate);
          if (generation !== problems.generation.failures) return;
          problems.failures = placements.flatMap((placement) => this.toPlaced(placement, placement.location?.file ?? file));
          this.render();
        } catch (error) {
          this.log?.warn(
            l10n.t('Could not place the last failures of {0} in the template: {1}', stackKey, error instanceof Error ? error.message : String(error)),
          );
        }
      }),
    );
  }

  private problemsOf(key: string): TargetProblems {
    let problems = this.targets.get(key);
    if (!problems) {
      problems = { findings: [], failures: [], generation: { findings: 0, failures: 0 } };
      this.targets.set(key, problems);
    }
    return problems;
  }

  private async place(key: string, snapshot: DeploymentSnapshot, kind: 'findings' | 'failures'): Promise<void> {
    const problems = this.problemsOf(key);
    const generation = ++problems.generation[kind];
    const folder = this.workspaceFolder();
    try {
      const locate = (await locatorFor(snapshot.context, folder)) ?? (() => undefined);
      const placements = kind === 'findings' ? stagedFindingPlacements(snapshot, locate) : endedFailurePlacements(snapshot, locate);
      if (generation !== problems.generation[kind]) return;
      problems[kind] = placements.flatMap((placement) => this.toPlaced(placement, locationFile(placement.location, snapshot.context, folder)));
      this.render();
    } catch (error) {
      const name = snapshot.context.target.name;
      const reason = error instanceof Error ? error.message : String(error);
      this.log?.warn(
        kind === 'findings'
          ? l10n.t('Could not place the findings of {0} in the template: {1}', name, reason)
          : l10n.t('Could not place the failures of {0} in the template: {1}', name, reason),
      );
    }
  }

  private toPlaced(placement: Placement, file: string | undefined): Placed[] {
    if (!file) return [];
    const severity = placement.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
    const diagnostic = new vscode.Diagnostic(rangeAt(placement.location), placement.message, severity);
    diagnostic.source = 'Stackwatch';
    if (placement.code) diagnostic.code = placement.code;
    return [{ file, diagnostic }];
  }

  /** The collection is per file; several targets may point into the same one. */
  private render(): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const problems of this.targets.values())
      for (const { file, diagnostic } of [...problems.findings, ...problems.failures]) byFile.set(file, [...(byFile.get(file) ?? []), diagnostic]);
    for (const file of this.shownFiles) if (!byFile.has(file)) this.collection.delete(vscode.Uri.file(file));
    for (const [file, diagnostics] of byFile) this.collection.set(vscode.Uri.file(file), diagnostics);
    this.shownFiles = new Set(byFile.keys());
  }

  dispose(): void {
    this.collection.dispose();
  }
}

/** The template's text as it is now; undefined when it is gone (the failures then have nowhere to go). */
async function templateAt(file: string | undefined, template: HistoryProblems['template']): Promise<TemplateSource | undefined> {
  if (!file || !template || template.format === 'folder') return undefined;
  try {
    const body = await readFile(file, 'utf8');
    return { path: template.path, body, format: template.format, sizeBytes: Buffer.byteLength(body, 'utf8') };
  } catch {
    return undefined;
  }
}
