/** fault-proxy: a scriptable fault-injecting HTTP proxy in front of cfn-sim or im-sim. See README.md. */
export { FaultProxy, type FaultProxyOptions } from './proxy';
export { actionOf } from './actions';
export { checkedRule } from './rules';
export type { Fault, FaultKind, FaultMatch, FaultRule, ProxyLogEntry } from './types';
