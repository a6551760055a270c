/**
 * The shape every engine rule shares (cdk-nag style): a rule names its engine and the node-agent DaemonSet it
 * recognises, and judges that agent with a small pure function. The human words of each state live in the rule; the
 * verdict assembly only combines judgements.
 */
import type { EngineName } from './engine-verdict.js';
import type { ClusterSnapshot, DaemonSet } from '../snapshot.js';
import { qualifiedName } from './inputs.js';

/** What an engine found in the cluster is doing about NetworkPolicy. */
export const EngineState = { Enforcing: 'enforcing', NotEnforcing: 'not-enforcing', Unknown: 'unknown' } as const;
export type EngineState = (typeof EngineState)[keyof typeof EngineState];

/** What one engine's node agent (and its configuration) says. */
export interface Judgement {
  state: EngineState;
  /** Why the engine is in that state, as a clause of a sentence. */
  detail: string;
  /** What would make it enforce (not-enforcing) or what input would decide it (unknown); empty if nothing to add. */
  fix: string;
}

/** A rule: the engine, where its installers put its node-agent DaemonSet, and how to tell whether it enforces. */
export interface EngineRule {
  engine: EngineName;
  /** Set when the agent is a packaging of the engine under another name (Canal runs Calico), for evidence. */
  variant?: string;
  daemonSet: string;
  namespaces: readonly string[];
  judge(agent: DaemonSet, snapshot: ClusterSnapshot): Judgement;
}

/** A judgement in one expression; `fix` defaults to nothing to add. */
export function judgement(state: EngineState, detail: string, fix = ''): Judgement {
  return { state, detail, fix };
}

/** True when `daemonSet` is the node agent `rule` recognises: its name, in one of its namespaces. */
export function isAgentOf(rule: EngineRule, daemonSet: DaemonSet): boolean {
  return daemonSet.metadata.name === rule.daemonSet && rule.namespaces.includes(daemonSet.metadata.namespace ?? '');
}

/** The judge of an engine whose agent enforces NetworkPolicy whenever it runs (Calico, Antrea). */
export function alwaysEnforcing(product: string): EngineRule['judge'] {
  return (agent) =>
    judgement(EngineState.Enforcing, `DaemonSet ${qualifiedName(agent)} runs ${product}, which enforces NetworkPolicy`);
}
