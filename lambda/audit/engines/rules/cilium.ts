/**
 * Cilium: DaemonSet `cilium` and its ConfigMap `cilium-config`, whose `enable-policy` decides enforcement: `never`
 * turns it off; a missing key means `default`, which enforces.
 */
import { EngineName } from '../engine-verdict.js';
import type { ClusterSnapshot, DaemonSet } from '../../snapshot.js';
import { configMapsRead, findConfigMap, qualifiedName, reasonSuffix } from '../inputs.js';
import { EngineState, judgement, type EngineRule, type Judgement } from '../rule.js';

const CONFIG_MAP = 'cilium-config';

function judgeCilium(agent: DaemonSet, snapshot: ClusterSnapshot): Judgement {
  const namespace = agent.metadata.namespace ?? '';
  const config = findConfigMap(snapshot, namespace, CONFIG_MAP);
  const configMap = `ConfigMap ${namespace}/${CONFIG_MAP}`;
  if (!config) {
    // Cilium cannot run without its ConfigMap: when it is missing from what was read, it was not captured.
    const missing = configMapsRead(snapshot)
      ? 'is absent from the input'
      : `was not read${reasonSuffix(snapshot, 'configMaps')}`;
    return judgement(
      EngineState.Unknown,
      `DaemonSet ${qualifiedName(agent)} runs Cilium but ${configMap} ${missing}, ` +
        'so its enable-policy mode cannot be told',
      `Include ${configMap} in the input (\`kubectl -n ${namespace} get configmap ${CONFIG_MAP} -o json\`).`,
    );
  }
  const mode = config.data?.['enable-policy'] ?? 'default';
  if (mode === 'never') {
    return judgement(
      EngineState.NotEnforcing,
      `DaemonSet ${qualifiedName(agent)} runs Cilium but ${configMap} sets enable-policy: never, so Cilium enforces ` +
        'no NetworkPolicy',
      `Set enable-policy to "default" in ${configMap} and restart the Cilium agents ` +
        `(\`kubectl -n ${namespace} rollout restart ds/${agent.metadata.name}\`).`,
    );
  }
  return judgement(EngineState.Enforcing, `DaemonSet ${qualifiedName(agent)} runs Cilium with enable-policy: ${mode}`);
}

/** Cilium's node agent, in kube-system or the cilium namespace (Helm's choice). */
export const ciliumRule: EngineRule = {
  engine: EngineName.Cilium,
  daemonSet: 'cilium',
  namespaces: ['kube-system', 'cilium'],
  judge: judgeCilium,
};
