/**
 * ConfigMap `kube-system/amazon-vpc-cni` and its `enable-network-policy-controller` key: the switch of the controller
 * that turns NetworkPolicies into PolicyEndpoints for the VPC CNI's node agents. Both the aws-node agent and the
 * agent EKS Auto Mode runs on its nodes enforce nothing without it.
 */
import type { ClusterSnapshot } from '../../snapshot.js';
import { configMapsRead, findConfigMap, reasonSuffix } from '../inputs.js';

const NAMESPACE = 'kube-system';
const NAME = 'amazon-vpc-cni';
const CONTROLLER_KEY = 'enable-network-policy-controller';

/** How messages name the ConfigMap. */
export const VPC_CNI_CONFIG_MAP = `ConfigMap ${NAMESPACE}/${NAME}`;

/** What the ConfigMap says of the controller: on, off (the key is not "true"), absent, or not read. */
export const ControllerSetting = { On: 'on', Off: 'off', Absent: 'absent', Unread: 'unread' } as const;
export type ControllerSetting = (typeof ControllerSetting)[keyof typeof ControllerSetting];

/** The controller setting in `snapshot`; only the exact string "true" turns it on, as the controller reads it. */
export function controllerSetting(snapshot: ClusterSnapshot): ControllerSetting {
  if (!configMapsRead(snapshot)) return ControllerSetting.Unread;
  const configMap = findConfigMap(snapshot, NAMESPACE, NAME);
  if (!configMap) return ControllerSetting.Absent;
  return configMap.data?.[CONTROLLER_KEY] === 'true' ? ControllerSetting.On : ControllerSetting.Off;
}

/** The setting as a flag for evidence: `undefined` when the ConfigMaps were not read. */
export function controllerFlag(setting: ControllerSetting): boolean | undefined {
  return setting === ControllerSetting.Unread ? undefined : setting === ControllerSetting.On;
}

/** A clause for a setting that is not on: the ConfigMap does not set the key, or does not exist. */
export function controllerOffClause(setting: ControllerSetting): string {
  return setting === ControllerSetting.Absent
    ? `${VPC_CNI_CONFIG_MAP} does not exist`
    : `${VPC_CNI_CONFIG_MAP} does not set ${CONTROLLER_KEY}: "true"`;
}

/** The clause of a setting that is on. */
export const CONTROLLER_ON_CLAUSE = `${VPC_CNI_CONFIG_MAP} sets ${CONTROLLER_KEY}: "true"`;

/** The clause of ConfigMaps not read, with the collection problem's reason when there is one. */
export function controllerUnreadClause(snapshot: ClusterSnapshot): string {
  return `${VPC_CNI_CONFIG_MAP} was not read${reasonSuffix(snapshot, 'configMaps')}`;
}

/** How to give the audit the ConfigMap it lacks. */
export const INCLUDE_CONFIG_MAP_FIX =
  `Include ${VPC_CNI_CONFIG_MAP} in the input (\`kubectl -n ${NAMESPACE} get configmap ${NAME} -o json\`); ` +
  `the live audit needs get access to configmaps in ${NAMESPACE}.`;

/**
 * How to turn the controller on without the vpc-cni add-on (EKS Auto Mode, where add-on configuration does not
 * apply): the ConfigMap manifest AWS documents, to apply with kubectl.
 */
export function enableControllerRemediation(lead: string): string {
  const file = 'enable-network-policy.yaml';
  return [
    lead,
    `Save this as ${file} and apply it with \`kubectl apply -f ${file}\`:`,
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${NAME}`,
    `  namespace: ${NAMESPACE}`,
    'data:',
    `  ${CONTROLLER_KEY}: "true"`,
  ].join('\n');
}
