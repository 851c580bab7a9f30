/** The deployment's outputs, from its latest revision's apply results. */
import type { OutputsRequest, StackOutput } from '../provider';
import { where, type GcpContext } from './context';
import { deploymentResourceName } from './names';
import { readDeployment } from './reads';

export async function stackOutputs(ctx: GcpContext, { target, signal }: OutputsRequest): Promise<StackOutput[]> {
  const deployment = await readDeployment(ctx, deploymentResourceName(where(ctx, target), target.name), signal);
  const revisionName = deployment?.latestRevision;
  if (!revisionName) return [];
  const revision = await ctx.caller.call('revisions.get', signal, (o) => ctx.im.projects.locations.deployments.revisions.get({ name: revisionName }, o));
  return Object.entries(revision.applyResults?.outputs ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, output]) => {
      const sensitive = output.sensitive === true;
      const raw: unknown = output.value;
      // The value stays on the extension host, marked: the view model masks it before the webview
      // (and history) see it, and Copy reads it here, as for any other provider.
      return { key, value: typeof raw === 'string' ? raw : JSON.stringify(raw ?? null), sensitive };
    });
}
