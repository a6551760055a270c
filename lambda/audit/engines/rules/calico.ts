/** Calico: DaemonSet `calico-node`, which enforces NetworkPolicy whenever it runs. */
import { EngineName } from '../engine-verdict.js';
import { alwaysEnforcing, type EngineRule } from '../rule.js';

/** Calico's node agent; the Tigera operator installs it into calico-system, manifests into kube-system. */
export const calicoRule: EngineRule = {
  engine: EngineName.Calico,
  daemonSet: 'calico-node',
  namespaces: ['kube-system', 'calico-system'],
  judge: alwaysEnforcing('Calico'),
};
