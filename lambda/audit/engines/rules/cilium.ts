/**
 * Cilium: DaemonSet `cilium` and its ConfigMap `cilium-config` (POLICY-APIS.md §3.3). `enable-policy` decides
 * enforcement: `never` turns it off, `default` (also a missing key) isolates selected endpoints, `always` every
 * endpoint; `policy-audit-mode: "true"` enforces nothing (would-be drops are only logged).
 */
import { EngineName } from '../engine-verdict.js';
import type { ClusterSnapshot, ConfigMap, DaemonSet } from '../../snapshot.js';
import { configMapsRead, findConfigMap, qualifiedName, reasonSuffix } from '../inputs.js';
import { EngineState, isAgentOf, judgement, type EngineRule, type Judgement } from '../rule.js';

const CONFIG_MAP = 'cilium-config';

/** The values of `enable-policy` (Helm `policyEnforcementMode`). */
export const CiliumPolicyMode = { Default: 'default', Always: 'always', Never: 'never' } as const;
export type CiliumPolicyMode = (typeof CiliumPolicyMode)[keyof typeof CiliumPolicyMode];

const MODES: readonly string[] = Object.values(CiliumPolicyMode);
// The spellings of true the agent's boolean flags accept (Go's strconv.ParseBool).
const TRUE: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/** What `cilium-config` says about policy. */
export interface CiliumSettings {
  /** `enable-policy`, as written (`default` when the key is missing). */
  mode: string;
  auditMode: boolean;
}

/** Reads the policy settings of a `cilium-config` ConfigMap. */
export function ciliumSettings(config: ConfigMap): CiliumSettings {
  return { mode: config.data?.['enable-policy'] ?? CiliumPolicyMode.Default, auditMode: TRUE.has(config.data?.['policy-audit-mode'] ?? '') };
}

/** The settings of the Cilium agent found in the cluster, `undefined` without the agent or its ConfigMap. */
export function runningCiliumSettings(snapshot: ClusterSnapshot): CiliumSettings | undefined {
  const agent = snapshot.kube.daemonSets?.find((daemonSet) => isAgentOf(ciliumRule, daemonSet));
  const config = agent === undefined ? undefined : findConfigMap(snapshot, agent.metadata.namespace ?? '', CONFIG_MAP);
  return config === undefined ? undefined : ciliumSettings(config);
}

function judgeCilium(agent: DaemonSet, snapshot: ClusterSnapshot): Judgement {
  const namespace = agent.metadata.namespace ?? '';
  const config = findConfigMap(snapshot, namespace, CONFIG_MAP);
  const configMap = `ConfigMap ${namespace}/${CONFIG_MAP}`;
  const runs = `DaemonSet ${qualifiedName(agent)} runs Cilium`;
  const restart = `and restart the Cilium agents (\`kubectl -n ${namespace} rollout restart ds/${agent.metadata.name}\`).`;
  if (!config) {
    // Cilium cannot run without its ConfigMap: when it is missing from what was read, it was not captured.
    const missing = configMapsRead(snapshot)
      ? 'is absent from the input'
      : `was not read${reasonSuffix(snapshot, 'configMaps')}`;
    return judgement(
      EngineState.Unknown,
      `${runs} but ${configMap} ${missing}, so its enable-policy mode cannot be told`,
      `Include ${configMap} in the input (\`kubectl -n ${namespace} get configmap ${CONFIG_MAP} -o json\`).`,
    );
  }
  const { mode, auditMode } = ciliumSettings(config);
  if (mode === CiliumPolicyMode.Never) {
    return judgement(
      EngineState.NotEnforcing,
      `${runs} but ${configMap} sets enable-policy: never, so Cilium enforces no NetworkPolicy`,
      `Set enable-policy to "default" in ${configMap} ${restart}`,
    );
  }
  if (!MODES.includes(mode)) {
    return judgement(
      EngineState.Unknown,
      `${runs} but ${configMap} sets enable-policy: ${JSON.stringify(mode.slice(0, 40))}, which is none of ${MODES.join(', ')}, so what it enforces cannot be told`,
      `Set enable-policy to "default" or "always" in ${configMap} ${restart}`,
    );
  }
  if (auditMode) {
    return judgement(
      EngineState.NotEnforcing,
      `${runs} but ${configMap} sets policy-audit-mode: "true", so Cilium only logs what policy would drop and enforces nothing`,
      `Set policy-audit-mode to "false" in ${configMap} ${restart}`,
    );
  }
  return judgement(EngineState.Enforcing, `${runs} with enable-policy: ${mode}`);
}

/** Cilium's node agent, in kube-system or the cilium namespace (Helm's choice). */
export const ciliumRule: EngineRule = {
  engine: EngineName.Cilium,
  daemonSet: 'cilium',
  namespaces: ['kube-system', 'cilium'],
  judge: judgeCilium,
};
