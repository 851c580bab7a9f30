/**
 * The side-by-side bench's scenarios and their templates: SQS queues in waves (each queue waits
 * on the one a wave before it, so events come in bursts with gaps), each with its own fractional
 * duration between 2 and 9 s that the simulator jitters by ±JITTER per round.
 */

export interface Scenario {
  id: 'create20' | 'create100' | 'update100';
  title: string;
  resources: number;
  waves: number;
  /** Update scenarios: how many resources the update modifies (in place, no replacement). */
  touched?: number;
}

export const SCENARIOS: readonly Scenario[] = [
  { id: 'create20', title: 'create of 20 (4 waves of 5)', resources: 20, waves: 4 },
  { id: 'create100', title: 'create of 100 (4 waves of 25)', resources: 100, waves: 4 },
  { id: 'update100', title: 'update of 100 touching 20 (in place)', resources: 100, waves: 4, touched: 20 },
];

/** ± this fraction, drawn again each round (the simulator's durationJitter). */
export const JITTER = 0.2;

/** 2–9 s, fractional, spread evenly over the resources (golden-ratio steps) so every wave mixes short and long. */
export function baseSeconds(index: number): number {
  const fraction = (index * 0.6180339887) % 1;
  return Math.round((2 + 7 * fraction) * 100) / 100;
}

/** Every `resources / touched`-th queue, starting at the third, so the update reaches every wave. */
function isTouched(scenario: Scenario, index: number): boolean {
  if (!scenario.touched) return false;
  const step = Math.floor(scenario.resources / scenario.touched);
  return index % step === 2 % step;
}

/** The template the tools deploy: for an update scenario, the one with the touched queues changed. */
export function templateFor(scenario: Scenario, variant: 'base' | 'deployed' = 'deployed'): object {
  const perWave = Math.ceil(scenario.resources / scenario.waves);
  const resources: Record<string, object> = {};
  for (let i = 0; i < scenario.resources; i++) {
    const changed = variant === 'deployed' && isTouched(scenario, i);
    resources[`Queue${i}`] = {
      Type: 'AWS::SQS::Queue',
      ...(i >= perWave ? { DependsOn: `Queue${i - perWave}` } : {}),
      Metadata: { Stackwatch: { Seconds: baseSeconds(i) } },
      // VisibilityTimeout changes in place: an update without replacement.
      Properties: { VisibilityTimeout: changed ? 45 : 30 },
    };
  }
  return { AWSTemplateFormatVersion: '2010-09-09', Description: `Stackwatch bench: ${scenario.title}`, Resources: resources };
}

/** A different duration draw per scenario and round, the same for both tools' stacks. */
export function seedFor(scenario: Scenario, round: number): number {
  return 1000 * (SCENARIOS.indexOf(scenario) + 1) + round;
}
