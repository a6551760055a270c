/**
 * Check `engine-health`: are the enforcing engine's node agents ready on every node they are scheduled to? A node
 * whose agent is not ready enforces no NetworkPolicy for its pods, whatever the cluster-wide configuration says.
 */
import type { Check } from '../check.js';
import { EngineName } from '../engines/engine-verdict.js';
import type { CheckVerdict } from '../verdict.js';
import {
  AUTO_MODE_BASIS,
  autoModeEvidence,
  daemonSetsUnread,
  eksAutoMode,
  engineOfAgent,
  type AutoMode,
} from '../engines.js';
import { CheckId, Status } from '../finding.js';
import { clusterResource } from '../model.js';
import { namespaceOf } from '../objects.js';
import type { ClusterSnapshot, DaemonSet } from '../snapshot.js';

/**
 * One verdict per node-agent DaemonSet of the enforcing engines: PASS when every scheduled agent is ready, FAIL saying
 * how many are, UNKNOWN without a status. When no agent can be judged (no enforcing engine, or an engine known only
 * from the EKS add-on configuration) it gives ONE UNKNOWN on the cluster saying why. Under EKS Auto Mode the VPC CNI
 * agent of the managed nodes has no DaemonSet: one UNKNOWN on the cluster says so, beside any DaemonSet agents.
 */
export const engineHealthCheck: Check = {
  id: CheckId.EngineHealth,
  evaluate({ snapshot, engine }) {
    if (engine.status !== Status.Pass) {
      return [
        {
          status: Status.Unknown,
          resource: clusterResource(snapshot),
          message:
            'There is no enforcing NetworkPolicy engine whose node agents could be checked ' +
            `(the engine check is ${engine.status}).`,
          remediation: 'See the engine finding: once an engine enforces NetworkPolicy, its agents are checked here.',
          evidence: { engine_status: engine.status },
        },
      ];
    }
    const autoMode = eksAutoMode(snapshot);
    const managed =
      autoMode && engine.enforcing.includes(EngineName.VpcCni) ? [managedByAutoMode(snapshot, autoMode)] : [];
    if (engine.agents.length === 0 && managed.length === 0) {
      return [agentsUnread(snapshot, engine.enforcing.join(', '))];
    }
    return [...managed, ...engine.agents.map(agentHealth)];
  },
};

/** The agent EKS Auto Mode runs on its nodes: EKS operates it, and no Kubernetes object reports its readiness. */
function managedByAutoMode(snapshot: ClusterSnapshot, autoMode: AutoMode): CheckVerdict {
  return {
    status: Status.Unknown,
    resource: clusterResource(snapshot),
    message:
      'The VPC CNI node agent that enforces NetworkPolicy on the EKS Auto Mode nodes is managed by EKS Auto Mode: it ' +
      'runs outside any DaemonSet, so its readiness cannot be checked from the Kubernetes API.',
    remediation:
      'EKS operates this agent; no Kubernetes object reports its health, so this stays UNKNOWN. To confirm ' +
      'enforcement, apply a default-deny policy in a scratch namespace and check that a probe pod there is blocked.',
    evidence: { engine: EngineName.VpcCni, managed_by: AUTO_MODE_BASIS, ...autoModeEvidence(autoMode) },
  };
}

/** An engine known only from the EKS add-on configuration: its agents' DaemonSets were not read. */
function agentsUnread(snapshot: ClusterSnapshot, engines: string): CheckVerdict {
  const missing = daemonSetsUnread(snapshot);
  return {
    status: Status.Unknown,
    resource: clusterResource(snapshot),
    message:
      `${engines} enforces NetworkPolicy according to the EKS add-on configuration, but DaemonSets were not read, ` +
      `so the readiness of its node agents cannot be checked${missing ? ` (${missing.reason})` : ''}.`,
    ...(missing ? { remediation: missing.remediation } : {}),
    evidence: { enforcing: engines },
  };
}

function agentHealth(agent: DaemonSet): CheckVerdict {
  const namespace = namespaceOf(agent);
  const name = agent.metadata.name;
  const resource = { kind: 'DaemonSet', namespace, name };
  const engine = engineOfAgent(agent);
  const title = `DaemonSet ${namespace}/${name}${engine ? ` (the ${engine} node agent)` : ''}`;
  const desired = agent.status?.desiredNumberScheduled;
  const ready = agent.status?.numberReady;
  if (desired === undefined || ready === undefined) {
    return {
      status: Status.Unknown,
      resource,
      message: `${title} has no status (desiredNumberScheduled and numberReady), so its agents' readiness is unknown.`,
      remediation: `Include the DaemonSet's status in the input (\`kubectl -n ${namespace} get ds/${name} -o json\`).`,
      evidence: { engine },
    };
  }
  const evidence = {
    engine,
    desired_number_scheduled: desired,
    number_ready: ready,
    number_available: agent.status?.numberAvailable,
    updated_number_scheduled: agent.status?.updatedNumberScheduled,
  };
  // Readiness briefly exceeds the desired count while nodes are removed: that is no gap in enforcement.
  if (ready >= desired) {
    const message = `${title} is ready on all ${desired} of ${desired} nodes.`;
    return { status: Status.Pass, resource, message, evidence };
  }
  return {
    status: Status.Fail,
    resource,
    message:
      `${title} has ${ready} of ${desired} nodes ready: NetworkPolicy may not be enforced for pods on the other ` +
      `${desired - ready}.`,
    remediation: inspectCommands(agent),
    evidence,
  };
}

/** How to find the agents that are not ready: the rollout, the DaemonSet's events, and its pods with their nodes. */
function inspectCommands(agent: DaemonSet): string {
  const namespace = namespaceOf(agent);
  const name = agent.metadata.name;
  const labels = Object.entries(agent.spec?.selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  const pods = labels.length > 0 ? `, \`kubectl -n ${namespace} get pods -l ${labels.join(',')} -o wide\`` : '';
  return (
    `Inspect the agents that are not ready: \`kubectl -n ${namespace} rollout status ds/${name}\`, ` +
    `\`kubectl -n ${namespace} describe ds/${name}\`${pods}; then describe the pods that are not Ready and their nodes.`
  );
}
