/**
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (`cilium.io/v2`, POLICY-APIS.md §3): rules in `spec` and
 * `specs[]`, each selecting endpoints by `endpointSelector` (a CiliumNetworkPolicy only in its own namespace; a
 * clusterwide one across namespaces, by namespace name and labels too) and isolating each direction whose section
 * (`ingress`/`ingressDeny`, `egress`/`egressDeny`) has an entry, unless `enableDefaultDeny.<direction>` is `false`.
 * `ingress: []` is no section; `ingress: [{}]` is the documented deny-all. A `nodeSelector` rule is host firewall: it
 * applies to nodes, never to pods, and never counts for pod isolation. Only Cilium enforces these APIs.
 */
import { EngineName } from '../../engines/engine-verdict.js';
import { namespaceOf } from '../../objects.js';
import { describeSelector, selectsEverything } from '../../selectors.js';
import type { CiliumClusterwideNetworkPolicy, CiliumNetworkPolicy, CiliumPort, CiliumRule, CiliumRuleEntry, LabelSelector, Pod } from '../../snapshot.js';
import { DIRECTIONS, PolicyType } from '../direction.js';
import type { PermissiveRule, PolicyApi, PolicyFacts } from '../policy-api.js';
import { Admits } from '../selection.js';
import { everyPodOf, namespaceEndpointLabels, POD_NAMESPACE_LABEL, reachesNamespace, selectsEndpoint, splitSelector, type SplitSelector } from './selector.js';

/** What a rule admits from entities and CIDRs outside the cluster. */
const OUTSIDE = 'all traffic from outside the cluster';

// The label every namespace selector sees (objects.ts namespaceLabels): it holds the namespace's name.
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

// Any CIDR with prefix length 0 is every address.
const EVERY_ADDRESS = /\/0+$/;

const SECTIONS = {
  [PolicyType.Ingress]: { allow: 'ingress', deny: 'ingressDeny', flag: 'ingress' },
  [PolicyType.Egress]: { allow: 'egress', deny: 'egressDeny', flag: 'egress' },
} as const;

/** One rule of a policy, read. */
interface ReadRule {
  /** Where it is: `spec`, `specs[1]`. */
  path: string;
  rule: CiliumRule;
  /** Its endpoint selector split; absent for a host-firewall rule (nodeSelector), which selects no pod. */
  selector?: SplitSelector;
  isolates: PolicyType[];
}

type AnyCiliumPolicy = CiliumNetworkPolicy | CiliumClusterwideNetworkPolicy;

/** The rules of a policy: `spec`, then each of `specs` (Cilium reads both when both are set). */
function rulesOf(policy: AnyCiliumPolicy, clusterwide: boolean): ReadRule[] {
  const written = [...(policy.spec ? [{ path: 'spec', rule: policy.spec }] : []), ...(policy.specs ?? []).map((rule, index) => ({ path: `specs[${index}]`, rule }))];
  return written.map(({ path, rule }) => {
    // A rule with a nodeSelector (or with neither selector, which Cilium rejects) selects no pod.
    const podRule = rule.endpointSelector !== undefined && rule.nodeSelector === undefined;
    return {
      path,
      rule,
      ...(podRule ? { selector: splitSelector(clusterwide ? rule.endpointSelector : withoutNamespaceMatch(rule.endpointSelector)) } : {}),
      isolates: DIRECTIONS.filter((direction) => hasSection(rule, direction) && rule.enableDefaultDeny?.[SECTIONS[direction].flag] !== false),
    };
  });
}

/**
 * A CiliumNetworkPolicy's selector as Cilium applies it: Cilium sets the `io.kubernetes.pod.namespace` match to the
 * policy's own namespace, replacing any the policy wrote, so only that namespace's pods are ever selected.
 */
function withoutNamespaceMatch(selector: LabelSelector | undefined): LabelSelector {
  const matchLabels = Object.fromEntries(Object.entries(selector?.matchLabels ?? {}).filter(([key]) => key.slice(key.indexOf(':') + 1) !== POD_NAMESPACE_LABEL));
  return { ...selector, matchLabels };
}

function hasSection(rule: CiliumRule, direction: PolicyType): boolean {
  const { allow, deny } = SECTIONS[direction];
  return (rule[allow]?.length ?? 0) > 0 || (rule[deny]?.length ?? 0) > 0;
}

/** An entry with no peer and no port (`{}`): it allows nothing, so `ingress: [{}]` is a deny-all. */
function allowsNothing(entry: CiliumRuleEntry): boolean {
  return Object.values(entry).every((value) => value === undefined || value === null || (Array.isArray(value) && value.length === 0));
}

/** The directions a rule denies by default to every pod it may select: isolated, and no allow entry allows anything. */
function defaultDenials({ rule, selector, isolates }: ReadRule): PolicyType[] {
  if (selector === undefined || !everyPodOf(selector)) return [];
  return isolates.filter((direction) => (rule[SECTIONS[direction].allow] ?? []).every(allowsNothing));
}

/** A port as messages show it: `TCP/80`, `ANY/8000-9000`, `UDP/all ports`. */
function describePort({ port, endPort, protocol = 'ANY' }: CiliumPort): string {
  if (port === undefined || port === '0') return `${protocol}/all ports`;
  return endPort === undefined ? `${protocol}/${port}` : `${protocol}/${port}-${endPort}`;
}

/** The ports an entry is limited to; empty when it allows every port. */
function portsOf(entry: CiliumRuleEntry): string[] {
  const ports = (entry.toPorts ?? []).map((toPort) => toPort.ports ?? []);
  return ports.length === 0 || ports.some((list) => list.length === 0) ? [] : ports.flat().map(describePort);
}

/** Whether a peer selector picks every pod of every namespace: no pod requirement, and any namespace at all. */
function everyPodOfEveryNamespace(selector: LabelSelector, clusterwide: boolean): boolean {
  const split = splitSelector(selector);
  if (!everyPodOf(split)) return false;
  const requirements = split.namespace.matchExpressions ?? [];
  // A peer without a namespace requirement is limited to the policy's namespace, except in a clusterwide policy.
  if (requirements.length === 0) return clusterwide;
  return requirements.every((requirement) => requirement.key === POD_NAMESPACE_LABEL && requirement.operator === 'Exists');
}

/** Why an ingress allow entry admits a wide class of traffic, or `undefined`. */
function permissiveEntry(entry: CiliumRuleEntry, clusterwide: boolean): Pick<PermissiveRule, 'admits' | 'reason'> | undefined {
  const entities = entry.fromEntities ?? [];
  if (entities.includes('all')) return { admits: Admits.Everywhere, reason: 'fromEntities all: every source is allowed' };
  if (entities.includes('world')) return { admits: OUTSIDE, reason: 'fromEntities world: every address outside the cluster is allowed' };
  const cidr = [...(entry.fromCIDR ?? []), ...(entry.fromCIDRSet ?? []).flatMap((set) => (set.cidr === undefined ? [] : [set.cidr]))].find((block) =>
    EVERY_ADDRESS.test(block.trim()),
  );
  if (cidr !== undefined) return { admits: OUTSIDE, reason: `fromCIDR ${cidr}: every address outside the cluster is allowed` };
  if (entities.includes('cluster')) return { admits: Admits.EveryPod, reason: 'fromEntities cluster: every endpoint of the cluster is allowed' };
  const peer = (entry.fromEndpoints ?? []).findIndex((selector) => everyPodOfEveryNamespace(selector, clusterwide));
  if (peer >= 0) return { admits: Admits.EveryPod, reason: `fromEndpoints[${peer}] selects every pod of every namespace` };
  const l3 = ['fromEndpoints', 'fromEntities', 'fromCIDR', 'fromCIDRSet', 'fromRequires', 'fromGroups', 'fromNodes'];
  const record = entry as Record<string, unknown>;
  if ((entry.toPorts?.length ?? 0) > 0 && l3.every((field) => record[field] === undefined)) {
    return { admits: Admits.Everywhere, reason: 'no from… peer, only toPorts: every source is allowed on its ports' };
  }
  return undefined;
}

/** The ingress allow entries that admit a wide class of traffic (deny sections never admit anything). */
function permissiveRules(rules: readonly ReadRule[], clusterwide: boolean): PermissiveRule[] {
  return rules.flatMap(({ path, rule }) =>
    (rule.ingress ?? []).flatMap((entry, index) => {
      const found = permissiveEntry(entry, clusterwide);
      return found === undefined ? [] : [{ rule: `${path}.ingress[${index}]`, ...found, ports: portsOf(entry) }];
    }),
  );
}

function describeNodes(selector: LabelSelector | undefined): string {
  return selectsEverything(selector) ? 'every node' : `nodes ${describeSelector(selector)}`;
}

function describeRules(rules: readonly ReadRule[]): string {
  return rules
    .map(({ rule, selector }) => (selector === undefined ? `${describeNodes(rule.nodeSelector)} (host firewall)` : describeSelector(rule.endpointSelector)))
    .join(' or ');
}

/** The facts of a Cilium policy of either scope. */
function ciliumPolicyFacts(policy: AnyCiliumPolicy, clusterwide: boolean): PolicyFacts {
  const rules = rulesOf(policy, clusterwide);
  const podRules = rules.filter((rule) => rule.selector !== undefined);
  const namespace = clusterwide ? null : namespaceOf(policy);
  // The labels of the pod's namespace as its endpoint carries them (for a CiliumNetworkPolicy, its own namespace).
  const endpointLabels = (labels: Record<string, string>) => namespaceEndpointLabels(namespace ?? labels[NAMESPACE_NAME_LABEL] ?? '', labels);
  const selecting = (pod: Pod, labels: Record<string, string>) => {
    const endpoint = endpointLabels(labels);
    return podRules.filter(({ selector }) => selector !== undefined && selectsEndpoint(selector, pod, endpoint));
  };
  const isolates = DIRECTIONS.filter((direction) => podRules.some((rule) => rule.isolates.includes(direction)));
  // Rules that differ in the namespaces they reach would make a namespace's default deny depend on the rule.
  const sameNamespaces = podRules.length === 1 || podRules.every(({ selector }) => (selector?.namespace.matchExpressions ?? []).length === 0);
  const hostOnly = rules.length > 0 && podRules.length === 0;
  return {
    subject: {
      namespace,
      selectsNamespace: (labels) => clusterwide && podRules.some(({ selector }) => selector !== undefined && reachesNamespace(selector, endpointLabels(labels))),
      everyNamespace: clusterwide && podRules.some(({ selector }) => (selector?.namespace.matchExpressions ?? []).length === 0),
      everyPod: podRules.length > 0 && podRules.every(({ selector }) => selector !== undefined && everyPodOf(selector)),
      selectsPod: (pod, labels) => selecting(pod, labels).length > 0,
      description: describeRules(rules),
      ...(hostOnly ? { nodes: rules.map(({ rule }) => describeNodes(rule.nodeSelector)).join(' or ') } : {}),
    },
    isolates,
    ...(podRules.length > 1 ? { isolatesPod: (pod: Pod, labels: Record<string, string>) => DIRECTIONS.filter((direction) => selecting(pod, labels).some((rule) => rule.isolates.includes(direction))) } : {}),
    deniesByDefault: sameNamespaces ? DIRECTIONS.filter((direction) => podRules.some((rule) => defaultDenials(rule).includes(direction))) : [],
    tierRules: [],
    permissive: permissiveRules(rules, clusterwide),
    evidence: { policy_types: isolates, ...(hostOnly ? { host_firewall: true } : {}) },
    ...rejection(policy),
  };
}

// Long enough for Cilium's validation messages, short enough for a finding.
const MESSAGE_LIMIT = 200;

/** Why Cilium rejected the policy, from a `Valid` condition that is `False` (POLICY-APIS.md §3.4). */
function rejection(policy: AnyCiliumPolicy): { rejected?: string } {
  const invalid = (policy.status?.conditions ?? []).find((condition) => condition.type === 'Valid' && condition.status === 'False');
  if (invalid === undefined) return {};
  const message = invalid.message?.trim().slice(0, MESSAGE_LIMIT);
  return { rejected: message ? `its Valid condition is False (${message})` : 'its Valid condition is False' };
}

// Cilium's operator installs its policy CRDs with Cilium, so on a Cilium cluster they always exist.
const CILIUM = { enforcedBy: [EngineName.Cilium], enforcers: 'Cilium', installedWithEngine: true } as const;

/** The CiliumNetworkPolicy adapter. */
export const ciliumNetworkPolicyApi: PolicyApi<'ciliumNetworkPolicies'> = {
  bucket: 'ciliumNetworkPolicies',
  ...CILIUM,
  read: (policy) => ciliumPolicyFacts(policy, false),
};

/** The CiliumClusterwideNetworkPolicy adapter. */
export const ciliumClusterwideNetworkPolicyApi: PolicyApi<'ciliumClusterwideNetworkPolicies'> = {
  bucket: 'ciliumClusterwideNetworkPolicies',
  ...CILIUM,
  read: (policy) => ciliumPolicyFacts(policy, true),
};
