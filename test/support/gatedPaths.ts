/**
 * The usual way through the first calls of a gated deployment (test/support/gatedProvider.ts),
 * shared so each machine test file spells out only the part of the path it is about.
 */
import type { DescribeStagedResult, DescribeTargetResult } from '../../src/providers/provider';
import { INITIALIZED, described, staged, stagedResults } from './deploymentFixtures';
import { answerCall, settle, type GatedDeployment } from './gatedProvider';

/** The gate and clock a path needs: a GatedDeployment, or a gated session's own. */
type Driven = Pick<GatedDeployment, 'gate' | 'clock'>;

/** Preflight and initialize answered: the target is read next. */
export async function initialized({ gate }: Pick<Driven, 'gate'>): Promise<void> {
  await answerCall(gate, 'preflight');
  await answerCall(gate, 'initialize', INITIALIZED);
}

/**
 * Through staging: the target read as `condition`, the stage accepted, the wait before the first
 * read of the staged changes passed, and that read answered with `result`.
 */
export async function throughStaging(
  d: Driven,
  { condition = described.missing, result = stagedResults.ready }: { condition?: DescribeTargetResult; result?: DescribeStagedResult } = {},
): Promise<void> {
  await initialized(d);
  await answerCall(d.gate, 'describeTarget', condition);
  await answerCall(d.gate, 'stage', staged);
  d.clock.increment(500);
  await settle();
  await answerCall(d.gate, 'describeStaged', result);
}
