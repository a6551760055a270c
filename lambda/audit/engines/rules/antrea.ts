/** Antrea: DaemonSet `antrea-agent`, which enforces NetworkPolicy whenever it runs. */
import { EngineName } from '../engine-verdict.js';
import { alwaysEnforcing, type EngineRule } from '../rule.js';

/** Antrea's node agent in kube-system. */
export const antreaRule: EngineRule = {
  engine: EngineName.Antrea,
  daemonSet: 'antrea-agent',
  namespaces: ['kube-system'],
  judge: alwaysEnforcing('Antrea'),
};
