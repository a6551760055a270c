/**
 * `unenforceable-workload`: which running pods no NetworkPolicy engine can reach, whatever the policies say:
 * host-network pods (always), Fargate pods (no DaemonSet-based engine runs there), and pods on Windows nodes when
 * the enforcing engine is the VPC CNI.
 */
import type { Check } from '../check.js';
import { EngineName } from '../engines/engine-verdict.js';
import type { CheckVerdict } from '../verdict.js';
import { CheckId, Status } from '../finding.js';
import { LIST_LIMIT, listNames } from '../findings.js';
import type { Node, Pod } from '../snapshot.js';
import { describeWorkload, podsOf, usesHostNetwork, workloadResource, type Workload } from '../workloads.js';

const OS_LABEL = 'kubernetes.io/os';

/** What the check knows about where pods run. */
interface Surroundings {
  nodes: ReadonlyMap<string, Node> | undefined;
  vpcCniEnforces: boolean;
}

function nodeLabel(pod: Pod, surroundings: Surroundings, key: string): string | undefined {
  const nodeName = pod.spec?.nodeName;
  return nodeName === undefined ? undefined : surroundings.nodes?.get(nodeName)?.metadata.labels?.[key];
}

function onFargate(pod: Pod, surroundings: Surroundings): boolean {
  return (
    pod.metadata.labels?.['eks.amazonaws.com/fargate-profile'] !== undefined ||
    (pod.spec?.nodeName ?? '').startsWith('fargate-') ||
    pod.spec?.schedulerName === 'fargate-scheduler' ||
    nodeLabel(pod, surroundings, 'eks.amazonaws.com/compute-type') === 'fargate'
  );
}

function onWindows(pod: Pod, surroundings: Surroundings): boolean {
  return (
    pod.spec?.nodeSelector?.[OS_LABEL] === 'windows' ||
    pod.spec?.os?.name === 'windows' ||
    nodeLabel(pod, surroundings, OS_LABEL) === 'windows'
  );
}

/** Why `pod` is out of the engine's reach; empty when it is within reach. */
function outOfReach(pod: Pod, surroundings: Surroundings): string[] {
  return [
    ...(usesHostNetwork(pod) ? ['host network'] : []),
    ...(onFargate(pod, surroundings) ? ['Fargate'] : []),
    ...(surroundings.vpcCniEnforces && onWindows(pod, surroundings) ? ['Windows node under the VPC CNI'] : []),
  ];
}

function evaluateWorkload(workload: Workload, surroundings: Surroundings): CheckVerdict {
  const unreachable = workload.pods.flatMap((pod) => {
    const reasons = outOfReach(pod, surroundings);
    return reasons.length > 0 ? [{ pod: pod.metadata.name, reasons }] : [];
  });
  const subject = describeWorkload(workload);
  const total = workload.pods.length;
  const evidence = {
    running_pods: total,
    out_of_reach_count: unreachable.length,
    out_of_reach_pods: unreachable.slice(0, LIST_LIMIT),
    nodes_read: surroundings.nodes !== undefined,
  };
  const resource = workloadResource(workload);
  if (unreachable.length === 0) {
    const message = `No pod of ${subject} is out of reach of the NetworkPolicy engine (host network, Fargate, Windows under the VPC CNI).`;
    return { status: Status.Pass, resource, message, evidence };
  }
  const which = listNames(unreachable.map(({ pod, reasons }) => `${pod} (${reasons.join(', ')})`));
  const message = `${podsOf(workload, unreachable.length, total)} out of reach of any NetworkPolicy: ${which}.`;
  return { status: Status.Fail, resource, message, evidence };
}

/** Per workload of an audited namespace: FAIL when any running pod of it cannot be isolated by the engine. */
export const unenforceableWorkloadCheck: Check = {
  id: CheckId.UnenforceableWorkload,
  evaluate({ model, engine, snapshot }) {
    const nodes = snapshot.kube.nodes;
    const surroundings: Surroundings = {
      nodes: nodes === undefined ? undefined : new Map(nodes.map((node) => [node.metadata.name, node])),
      vpcCniEnforces: engine.enforcing.includes(EngineName.VpcCni),
    };
    return model.workloads.map((workload) => evaluateWorkload(workload, surroundings));
  },
};
