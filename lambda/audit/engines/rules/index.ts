/**
 * The engine rules, in the order engines are reported: adding an engine is one rule module plus one line here.
 */
import type { EngineName } from '../engine-verdict.js';
import type { DaemonSet } from '../../snapshot.js';
import { isAgentOf, type EngineRule } from '../rule.js';
import { antreaRule } from './antrea.js';
import { calicoRule } from './calico.js';
import { canalRule } from './canal.js';
import { ciliumRule } from './cilium.js';
import { kubeRouterRule } from './kube-router.js';
import { vpcCniRule } from '../vpc-cni/agent.js';
import { weaveRule } from './weave.js';

/** Every engine whose node-agent DaemonSet the audit recognises. */
export const ENGINE_RULES: readonly EngineRule[] = [
  vpcCniRule,
  calicoRule,
  canalRule,
  ciliumRule,
  antreaRule,
  weaveRule,
  kubeRouterRule,
];

/** The engine whose node agent `daemonSet` is, or `undefined` when it is not a known engine agent. */
export function engineOfAgent(daemonSet: DaemonSet): EngineName | undefined {
  return ENGINE_RULES.find((rule) => isAgentOf(rule, daemonSet))?.engine;
}
