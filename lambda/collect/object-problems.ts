/**
 * Shape checks for the fields of a Kubernetes object that the audit reads. Input files are written by people and
 * tools we do not control; an object whose fields have the wrong type is reported and skipped here, so the checks
 * can trust the snapshot types and never crash on one bad object. Only types are checked, not Kubernetes' own value
 * rules: a label value longer than 63 characters is still a label.
 */
import type { KindBucket, KindRow } from '../audit/kinds.js';
import { ciliumSelectorProblem } from '../audit/isolation/cilium/selector.js';
import { selectorProblem } from '../audit/selectors.js';
import type { LabelSelector } from '../audit/snapshot.js';
import { clipped } from './input-error.js';
import { isEngineConfigMap } from './kube-objects.js';

type Problem = string | undefined;
type Rule = (value: unknown, path: string) => Problem;

const POLICY_TYPES: ReadonlySet<unknown> = new Set(['Ingress', 'Egress']);

/** True for a JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What is wrong with `object` (already known to be of the row `spec`), as `path problem`, or `undefined` when the
 * audit can read it. Checks the metadata of every kind (a namespace exactly for namespaced kinds), and the spec and
 * status fields the audit reads of each kind, every label selector with the audit's own selector rules.
 */
export function objectProblem(spec: KindRow, object: Record<string, unknown>): Problem {
  return metadataProblem(spec, object.metadata) ?? KIND_RULES[spec.bucket](object, '');
}

function metadataProblem(spec: KindRow, metadata: unknown): Problem {
  if (!isRecord(metadata)) return 'metadata is missing';
  if (typeof metadata.name !== 'string' || metadata.name === '') return 'metadata.name is missing';
  if (spec.namespaced && (typeof metadata.namespace !== 'string' || metadata.namespace === '')) {
    return 'metadata.namespace is missing';
  }
  return METADATA(metadata, 'metadata');
}

const METADATA: Rule = fields({
  uid: optional(text),
  labels: optional(stringMap),
  annotations: optional(stringMap),
  ownerReferences: optional(list(fields({ kind: text, name: text, uid: optional(text), controller: optional(flag) }))),
});

const CONTAINER: Rule = fields({
  name: text,
  command: optional(list(text)),
  args: optional(list(text)),
  env: optional(list(fields({ name: text, value: optional(text) }))),
});

const POD_SPEC: Rule = fields({
  nodeName: optional(text),
  serviceAccountName: optional(text),
  hostNetwork: optional(flag),
  containers: optional(list(CONTAINER)),
  initContainers: optional(list(CONTAINER)),
  nodeSelector: optional(stringMap),
});

const PEER_FIELDS = {
  podSelector: optional(selector),
  namespaceSelector: optional(selector),
  ipBlock: optional(fields({ cidr: text, except: optional(list(text)) })),
};
const PEER: Rule = fields(PEER_FIELDS);

const DAEMON_SET_STATUS: Rule = fields(
  Object.fromEntries(
    [
      'desiredNumberScheduled',
      'currentNumberScheduled',
      'numberReady',
      'numberAvailable',
      'numberUnavailable',
      'updatedNumberScheduled',
    ].map((name) => [name, optional(count)]),
  ),
);

const POLICY_TYPES_RULE: Rule = optional(list(policyType));
const PORTS: Rule = optional(list(isObject));
const INGRESS_RULES: Rule = optional(list(fields({ from: optional(list(PEER)), ports: PORTS })));
const EGRESS_RULES: Rule = optional(list(fields({ to: optional(list(PEER)), ports: PORTS })));

/** The subject of a cluster policy: the pods of matching namespaces, or matching pods of matching namespaces. */
const CLUSTER_SUBJECT: Rule = fields({
  namespaces: optional(selector),
  pods: optional(fields({ namespaceSelector: optional(selector), podSelector: optional(selector) })),
});

/** A peer of an AWS ClusterNetworkPolicy rule (POLICY-APIS.md §1.5) or an upstream admin policy rule (§2). */
const CLUSTER_PEER: Rule = fields({
  namespaces: optional(selector),
  pods: optional(fields({ namespaceSelector: optional(selector), podSelector: optional(selector) })),
  nodes: optional(selector),
  networks: optional(list(text)),
  domainNames: optional(list(text)),
});

const AWS_ACTIONS = ['Accept', 'Deny', 'Pass'];

/** The rules of a tiered cluster policy: each an action of `actions` on its peers, limited by its `ports` field. */
function clusterRules(peers: 'from' | 'to', actions: readonly string[] = AWS_ACTIONS, ports: 'ports' | 'protocols' = 'ports'): Rule {
  return optional(list(fields({ name: optional(text), action: oneOf(actions), [peers]: optional(list(CLUSTER_PEER)), [ports]: PORTS })));
}

/** The spec of an upstream admin policy (POLICY-APIS.md §2): its subject and rules, and the fields of its version. */
function adminPolicySpec(actions: readonly string[], ports: 'ports' | 'protocols', extra: Record<string, Rule>): Rule {
  return fields({
    spec: optional(
      fields({ ...extra, subject: optional(CLUSTER_SUBJECT), ingress: clusterRules('from', actions, ports), egress: clusterRules('to', actions, ports) }),
    ),
  });
}

/** Where an Antrea policy or rule applies, and the peers of its rules: the core peer fields (others are not read). */
const ANTREA_PEERS: Rule = optional(list(fields(PEER_FIELDS)));

function antreaRules(peers: 'from' | 'to'): Rule {
  return optional(
    list(fields({ name: optional(text), action: oneOf(['Allow', 'Drop', 'Reject', 'Pass']), [peers]: ANTREA_PEERS, ports: PORTS, appliedTo: ANTREA_PEERS })),
  );
}

/** The spec Antrea's ClusterNetworkPolicy and NetworkPolicy share (POLICY-APIS.md §5). */
const ANTREA_POLICY: Rule = fields({
  spec: optional(
    fields({ tier: optional(text), priority: optional(count), appliedTo: ANTREA_PEERS, ingress: antreaRules('from'), egress: antreaRules('to') }),
  ),
});

/** The endpoints a PolicyEndpoint or ClusterPolicyEndpoint lists: the pods the controller resolved the policy to. */
const POD_ENDPOINTS: Rule = optional(
  list(fields({ podIP: optional(text), hostIP: optional(text), name: optional(text), namespace: optional(text) })),
);

/** A Cilium endpoint selector: LabelSelector's rules on keys that may carry a source prefix (`k8s:`). */
function ciliumSelector(value: unknown, path: string): Problem {
  if (!isRecord(value)) return `${path} is not an object`;
  const problem = ciliumSelectorProblem(value);
  if (problem === undefined) return undefined;
  return /^match/.test(problem) ? `${path}.${problem}` : `${path}: ${problem}`;
}

/** An entry of a Cilium rule's direction section: the peers and ports the audit reads. */
const CILIUM_ENTRY: Rule = fields({
  fromEndpoints: optional(list(ciliumSelector)),
  toEndpoints: optional(list(ciliumSelector)),
  fromEntities: optional(list(text)),
  toEntities: optional(list(text)),
  fromCIDR: optional(list(text)),
  toCIDR: optional(list(text)),
  fromCIDRSet: optional(list(fields({ cidr: optional(text) }))),
  toCIDRSet: optional(list(fields({ cidr: optional(text) }))),
  toPorts: optional(list(fields({ ports: optional(list(fields({ port: optional(text), endPort: optional(count), protocol: optional(text) }))) }))),
});

/** One Cilium rule (POLICY-APIS.md §3.1). */
const CILIUM_RULE: Rule = fields({
  endpointSelector: optional(ciliumSelector),
  nodeSelector: optional(ciliumSelector),
  ingress: optional(list(CILIUM_ENTRY)),
  ingressDeny: optional(list(CILIUM_ENTRY)),
  egress: optional(list(CILIUM_ENTRY)),
  egressDeny: optional(list(CILIUM_ENTRY)),
  enableDefaultDeny: optional(fields({ ingress: optional(flag), egress: optional(flag) })),
});

const CILIUM_POLICY: Rule = fields({
  spec: optional(CILIUM_RULE),
  specs: optional(list(CILIUM_RULE)),
  status: optional(fields({ conditions: optional(list(fields({ type: optional(text), status: optional(text), message: optional(text) }))) })),
});

const CILIUM_DIRECTION: Rule = optional(fields({ enforcing: optional(flag), state: optional(text) }));
/** A port of a Calico rule: a number, a range `"8000:9000"` or a named port. */
function calicoPort(value: unknown, path: string): Problem {
  return typeof value === 'number' || typeof value === 'string' ? undefined : `${path} is not a number or a string`;
}

/** A source or destination of a Calico rule. Its selectors are Calico expressions, parsed by the isolation model. */
const CALICO_ENTITY: Rule = fields({
  selector: optional(text),
  notSelector: optional(text),
  namespaceSelector: optional(text),
  nets: optional(list(text)),
  notNets: optional(list(text)),
  ports: optional(list(calicoPort)),
  notPorts: optional(list(calicoPort)),
  serviceAccounts: optional(fields({ names: optional(list(text)), selector: optional(text) })),
  services: optional(isObject),
});

const CALICO_RULES: Rule = optional(
  list(fields({ action: oneOf(['Allow', 'Deny', 'Log', 'Pass']), protocol: optional(calicoPort), source: optional(CALICO_ENTITY), destination: optional(CALICO_ENTITY) })),
);

/** Calico NetworkPolicy, GlobalNetworkPolicy and their staged twins (POLICY-APIS.md §4.1). */
const CALICO_POLICY: Rule = fields({
  spec: optional(
    fields({
      tier: optional(text),
      order: optional(count),
      selector: optional(text),
      namespaceSelector: optional(text),
      serviceAccountSelector: optional(text),
      types: POLICY_TYPES_RULE,
      ingress: CALICO_RULES,
      egress: CALICO_RULES,
    }),
  ),
});

const CALICO_TIER: Rule = fields({ spec: optional(fields({ order: optional(count), defaultAction: optional(oneOf(['Deny', 'Pass'])) })) });

const NETWORK_POLICY: Rule = fields({
  spec: optional(fields({ podSelector: optional(selector), policyTypes: POLICY_TYPES_RULE, ingress: INGRESS_RULES, egress: EGRESS_RULES })),
});

const NO_FIELDS: Rule = () => undefined;

/** The fields the audit reads of each row of the kinds table: every row has its rule, even if only the metadata. */
const KIND_RULES = {
  namespaces: NO_FIELDS,
  pods: fields({ spec: optional(POD_SPEC), status: optional(fields({ phase: optional(text) })) }),
  daemonSets: fields({
    spec: optional(fields({ selector: optional(selector), template: optional(fields({ spec: optional(POD_SPEC) })) })),
    status: optional(DAEMON_SET_STATUS),
  }),
  replicaSets: NO_FIELDS,
  jobs: NO_FIELDS,
  nodes: NO_FIELDS,
  networkPolicies: NETWORK_POLICY,
  // Only the engine ConfigMaps keep their data (see retainedObject), so only theirs must be readable.
  configMaps: (value) =>
    isRecord(value) && isEngineConfigMap(value.metadata as { name: string })
      ? optional(stringMap)(value.data, 'data')
      : undefined,
  // As a NetworkPolicy, except that an egress peer may name domains instead (POLICY-APIS.md §1.6).
  applicationNetworkPolicies: fields({
    spec: optional(
      fields({
        podSelector: optional(selector),
        policyTypes: POLICY_TYPES_RULE,
        ingress: INGRESS_RULES,
        egress: optional(list(fields({ to: optional(list(fields({ ...PEER_FIELDS, domainNames: optional(list(text)) }))), ports: PORTS }))),
      }),
    ),
  }),
  awsClusterNetworkPolicies: fields({
    spec: optional(
      fields({
        tier: optional(oneOf(['Admin', 'Baseline'])),
        priority: optional(count),
        subject: optional(CLUSTER_SUBJECT),
        ingress: clusterRules('from'),
        egress: clusterRules('to'),
      }),
    ),
  }),
  policyEndpoints: fields({
    spec: optional(
      fields({
        policyRef: optional(fields({ name: text, namespace: optional(text) })),
        podSelector: optional(selector),
        podIsolation: POLICY_TYPES_RULE,
        podSelectorEndpoints: POD_ENDPOINTS,
        ingress: PORTS,
        egress: PORTS,
      }),
    ),
  }),
  clusterPolicyEndpoints: fields({
    spec: optional(
      fields({
        policyRef: optional(fields({ name: text })),
        tier: optional(oneOf(['Admin', 'Baseline'])),
        priority: optional(count),
        subject: optional(CLUSTER_SUBJECT),
        podSelectorEndpoints: POD_ENDPOINTS,
        ingress: PORTS,
        egress: PORTS,
      }),
    ),
  }),
  nodeClasses: fields({ spec: optional(fields({ networkPolicy: optional(oneOf(['DefaultAllow', 'DefaultDeny'])) })) }),
  // Cilium
  ciliumNetworkPolicies: CILIUM_POLICY,
  ciliumClusterwideNetworkPolicies: CILIUM_POLICY,
  ciliumEndpoints: fields({ status: optional(fields({ policy: optional(fields({ ingress: CILIUM_DIRECTION, egress: CILIUM_DIRECTION })) })) }),
  adminNetworkPolicies: adminPolicySpec(['Allow', 'Deny', 'Pass'], 'ports', { priority: optional(count) }),
  baselineAdminNetworkPolicies: adminPolicySpec(['Allow', 'Deny'], 'ports', {}),
  upstreamClusterNetworkPolicies: adminPolicySpec(AWS_ACTIONS, 'protocols', { tier: optional(oneOf(['Admin', 'Baseline'])), priority: optional(count) }),
  antreaClusterNetworkPolicies: ANTREA_POLICY,
  antreaNetworkPolicies: ANTREA_POLICY,
  calicoNetworkPolicies: CALICO_POLICY,
  calicoGlobalNetworkPolicies: CALICO_POLICY,
  calicoTiers: CALICO_TIER,
  calicoStagedNetworkPolicies: CALICO_POLICY,
  calicoStagedGlobalNetworkPolicies: CALICO_POLICY,
  calicoStagedKubernetesNetworkPolicies: NETWORK_POLICY,
  calicoCrdNetworkPolicies: CALICO_POLICY,
  calicoCrdGlobalNetworkPolicies: CALICO_POLICY,
  calicoCrdTiers: CALICO_TIER,
  calicoCrdStagedNetworkPolicies: CALICO_POLICY,
  calicoCrdStagedGlobalNetworkPolicies: CALICO_POLICY,
  calicoCrdStagedKubernetesNetworkPolicies: NETWORK_POLICY,
} as const satisfies Record<KindBucket, Rule>;

function selector(value: unknown, path: string): Problem {
  if (!isRecord(value)) return `${path} is not an object`;
  const problem = selectorProblem(value as LabelSelector);
  if (problem === undefined) return undefined;
  // The selector rules name fields inside the selector (`matchExpressions[0].operator …`): prefix where it sits.
  return /^match/.test(problem) ? `${path}.${problem}` : `${path}: ${problem}`;
}

function policyType(value: unknown, path: string): Problem {
  return POLICY_TYPES.has(value) ? undefined : `${path} is not Ingress or Egress`;
}

/** A rule for an object whose listed fields each follow their rule; other fields are not looked at. */
function fields(rules: Record<string, Rule>): Rule {
  const entries = Object.entries(rules);
  return (value, path) => {
    if (!isRecord(value)) return `${path || 'object'} is not an object`;
    for (const [name, rule] of entries) {
      const problem = rule(value[name], path ? `${path}.${name}` : name);
      if (problem) return problem;
    }
    return undefined;
  };
}

function optional(rule: Rule): Rule {
  return (value, path) => (value === undefined || value === null ? undefined : rule(value, path));
}

function list(rule: Rule): Rule {
  return (value, path) => {
    if (!Array.isArray(value)) return `${path} is not a list`;
    for (let index = 0; index < value.length; index += 1) {
      const problem = rule(value[index], `${path}[${index}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

/** A string that must be one of `values` (an enum of the API: a value the audit would misread is a bad object). */
function oneOf(values: readonly string[]): Rule {
  const allowed = new Set<unknown>(values);
  return (value, path) => {
    if (allowed.has(value)) return undefined;
    return value === undefined ? `${path} is missing` : `${path} is not one of ${values.join(', ')}`;
  };
}

function text(value: unknown, path: string): Problem {
  return typeof value === 'string' ? undefined : `${path} is ${value === undefined ? 'missing' : 'not a string'}`;
}

function flag(value: unknown, path: string): Problem {
  return typeof value === 'boolean' ? undefined : `${path} is not true or false`;
}

function isObject(value: unknown, path: string): Problem {
  return isRecord(value) ? undefined : `${path} is not an object`;
}

function stringMap(value: unknown, path: string): Problem {
  if (!isRecord(value)) return `${path} is not an object`;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') return `${path}["${clipped(key)}"] is not a string`;
  }
  return undefined;
}

function count(value: unknown, path: string): Problem {
  return typeof value === 'number' ? undefined : `${path} is not a number`;
}
