/**
 * The `/__faults` route: the programmatic API over HTTP with JSON, for `npm start` and for humans.
 *
 *   GET    /__faults        { rules, log }   armed rules (timesLeft null = always) and every request seen
 *   POST   /__faults        FaultRule        arm one rule; `"times": "always"` for Infinity
 *   DELETE /__faults                         disarm every rule
 *   POST   /__faults/release                 drop stalled connections
 *   POST   /__faults/reset                   disarm, drop stalled connections, empty the log
 *
 *   curl -X POST localhost:4570/__faults -d '{"match":{"action":"DescribeStackEvents"},"fault":{"kind":"stall"}}'
 */
import { checkedRule } from './rules';
import type { FaultRule, ProxyLogEntry } from './types';

export const CONTROL_PATH = '/__faults';

export interface ControlTarget {
  add(rule: FaultRule): void;
  clear(): void;
  rulesArmed(): unknown[];
  readonly log: ReadonlyArray<ProxyLogEntry>;
  releaseStalled(): void;
  reset(): void;
}

export function handleControl(target: ControlTarget, method: string, path: string, body: string): { status: number; json: unknown } {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  try {
    switch (route) {
      case `GET ${CONTROL_PATH}`:
        return { status: 200, json: { rules: target.rulesArmed(), log: target.log } };
      case `POST ${CONTROL_PATH}`:
        target.add(checkedRule(parseJson(body)));
        return { status: 200, json: { ok: true, rules: target.rulesArmed() } };
      case `DELETE ${CONTROL_PATH}`:
        target.clear();
        return { status: 200, json: { ok: true } };
      case `POST ${CONTROL_PATH}/release`:
        target.releaseStalled();
        return { status: 200, json: { ok: true } };
      case `POST ${CONTROL_PATH}/reset`:
        target.reset();
        return { status: 200, json: { ok: true } };
      default:
        return { status: 404, json: { error: `no control route ${route}; try GET, POST or DELETE ${CONTROL_PATH}` } };
    }
  } catch (error) {
    return { status: 400, json: { error: error instanceof Error ? error.message : String(error) } };
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body === '' ? '{}' : body);
  } catch {
    throw new TypeError('the body must be JSON, e.g. {"match":{"action":"DescribeStacks"},"fault":{"kind":"stall"}}');
  }
}
