/**
 * Calico's policy APIs (POLICY-APIS.md §4; DESIGN.md "Isolation"): `NetworkPolicy` (namespaced) and
 * `GlobalNetworkPolicy` (cluster-scoped), read from `projectcalico.org/v3` or from the `crd.projectcalico.org/v1`
 * CRDs they are stored in, and their `Staged*` twins, which preview and never enforce. A policy isolates the
 * directions of its `types` (defaulted from its rules, unlike core NetworkPolicy) for the pods its `selector` (and, for
 * a global one, `namespaceSelector`) matches, unless its tier passes what it does not decide, or a rule of it passes
 * all traffic of that direction on to the next tier. Enforced by calico-node (Calico, and Canal's calico-node).
 */
import { EngineName } from '../engines/engine-verdict.js';
import { namespaceOf } from '../objects.js';
import type { CalicoEntityRule, CalicoPolicy, CalicoPolicySpec, CalicoRule, CalicoStagedKubernetesNetworkPolicy, KubeInventory, KubeObject, Pod } from '../snapshot.js';
import { PolicyType, directionsIn } from '../isolation/direction.js';
import { effectivePolicyTypes } from '../isolation/network-policy.js';
import type { PermissiveRule, PolicyApi, PolicyFacts, PolicySubject } from '../isolation/policy-api.js';
import { Admits, EVERY_ADDRESS, selectionPolicyFacts } from '../isolation/selection.js';
import { endpointLabels, namespaceSelectorLabels, SERVICE_ACCOUNT_NAME_LABEL, serviceAccountLabels } from './endpoint-labels.js';
import {
  describeParseProblem,
  matchesCalicoSelector,
  parseCalicoSelector,
  printCalicoSelector,
  selectorKeys,
  selectsAll,
  type CalicoSelector,
} from './selector.js';
import { DEFAULT_TIER, tierDefault } from './tiers.js';

const ENFORCERS = "Calico's calico-node (Calico, or Canal's calico-node container)";
const STAGED = 'staged policies only preview what they would do: Calico never enforces them';

/**
 * The directions a Calico policy applies to (projectcalico/api `globalnetworkpolicy.go`): `types` when set; otherwise
 * Ingress and Egress when it has rules of both, Egress when only egress rules, and Ingress when only ingress rules or
 * none — so, unlike core NetworkPolicy, an egress-only policy without `types` does not isolate Ingress.
 */
export function effectiveCalicoTypes(spec: CalicoPolicy['spec']): PolicyType[] {
  if ((spec?.types ?? []).length > 0) return directionsIn(spec?.types);
  const ingress = (spec?.ingress?.length ?? 0) > 0;
  const egress = (spec?.egress?.length ?? 0) > 0;
  if (egress) return ingress ? [PolicyType.Ingress, PolicyType.Egress] : [PolicyType.Egress];
  return [PolicyType.Ingress];
}

const ENTITY_FIELDS = ['selector', 'notSelector', 'namespaceSelector', 'nets', 'notNets', 'ports', 'notPorts', 'serviceAccounts', 'services'] as const;
const MATCH_FIELDS = ['protocol', 'notProtocol', 'icmp', 'notICMP', 'http'] as const;

function constrains(entity: CalicoEntityRule | undefined): boolean {
  return ENTITY_FIELDS.some((field) => {
    const value = entity?.[field];
    return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0) && value !== '';
  });
}

/** True for a rule that matches every packet of its direction: no protocol, source or destination restriction. */
function matchesAll(rule: CalicoRule): boolean {
  return MATCH_FIELDS.every((field) => rule[field] === undefined || rule[field] === null) && !constrains(rule.source) && !constrains(rule.destination);
}

function rulesOf(spec: CalicoPolicy['spec'], direction: PolicyType): CalicoRule[] {
  return (direction === PolicyType.Ingress ? spec?.ingress : spec?.egress) ?? [];
}

/** True when the first rule of `direction` that matches everything (Log only logs and goes on) passes it to the next tier. */
function passesEverything(spec: CalicoPolicy['spec'], direction: PolicyType): boolean {
  const decisive = rulesOf(spec, direction).find((rule) => rule.action !== 'Log' && matchesAll(rule));
  return decisive?.action === 'Pass';
}

/** `TCP/80`, `UDP/8000:9000`, `any protocol/443`, `ICMP/all ports`. */
function describePorts(rule: CalicoRule): string[] {
  const protocol = rule.protocol === undefined ? 'any protocol' : String(rule.protocol);
  const ports = rule.destination?.ports ?? [];
  if (ports.length > 0) return ports.map((port) => `${protocol}/${port}`);
  return rule.protocol === undefined ? [] : [`${protocol}/all ports`];
}

function clip(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 60)}… (${text.length} characters)`;
}

/** Why a rule's source admits a wide class of traffic, or `undefined`. */
function wideSource(source: CalicoEntityRule | undefined, global: boolean): Pick<PermissiveRule, 'admits' | 'reason'> | undefined {
  const except = [...(source?.notNets ?? []), ...(source?.notSelector ? [`pods matching ${source.notSelector}`] : [])];
  const but = except.length > 0 ? ` (except ${except.join(', ')})` : '';
  const positive = { ...source, notNets: undefined, notSelector: undefined, notPorts: undefined };
  if (!constrains(positive)) return { admits: Admits.Everywhere, reason: `no source${but}: every source is allowed` };
  const everywhere = (source?.nets ?? []).find((cidr) => EVERY_ADDRESS.test(cidr.trim()));
  if (everywhere !== undefined) return { admits: Admits.Everywhere, reason: `source nets ${everywhere}${but}: every address is allowed` };
  const onlySelectors = !constrains({ ...positive, selector: undefined, namespaceSelector: undefined });
  const selectsAllOf = (text: string | undefined) => {
    const parsed = parseCalicoSelector(text);
    return parsed.ok && selectsAll(parsed.selector);
  };
  // A namespaced policy's source selector alone means pods of its own namespace; a global one's means every endpoint.
  const everyNamespace = source?.namespaceSelector !== undefined ? selectsAllOf(source.namespaceSelector) : global;
  if (onlySelectors && everyNamespace && selectsAllOf(source?.selector)) {
    return { admits: Admits.EveryPod, reason: `source selects every pod of every namespace (all())${but}` };
  }
  return undefined;
}

/** The `Allow` ingress rules that admit all traffic of a wide class: no source, every address, or all() everywhere. */
function permissiveRules(spec: CalicoPolicy['spec'], types: readonly PolicyType[], global: boolean): PermissiveRule[] {
  if (!types.includes(PolicyType.Ingress)) return [];
  return (spec?.ingress ?? []).flatMap((rule, index) => {
    if (rule.action !== 'Allow') return [];
    const wide = wideSource(rule.source, global);
    return wide === undefined ? [] : [{ rule: `spec.ingress[${index}]`, ...wide, reason: `Allow with ${wide.reason}`, ports: describePorts(rule) }];
  });
}

/** A selector field parsed, or why it cannot be. */
function parsedField(field: string, text: string | undefined): { selector: CalicoSelector } | { problem: string } {
  const parsed = parseCalicoSelector(text);
  if (parsed.ok) return { selector: parsed.selector };
  return { problem: `its ${field} ${JSON.stringify(clip(text ?? ''))} cannot be parsed (${describeParseProblem(parsed)})` };
}

/** How a Calico policy is read: namespaced, or global with a namespaceSelector. */
interface Scope {
  global: boolean;
}

/** The subject selectors of a Calico policy, parsed, and what keeps the audit from reading them. */
interface SubjectSelectors {
  selector: ReturnType<typeof parsedField>;
  namespaces: ReturnType<typeof parsedField>;
  accounts: ReturnType<typeof parsedField>;
  unknownKeys: string[];
  problems: string[];
}

function subjectSelectors(spec: CalicoPolicySpec, global: boolean): SubjectSelectors {
  const selector = parsedField('selector', spec.selector);
  const namespaces = global ? parsedField('namespaceSelector', spec.namespaceSelector) : { selector: { op: 'all' } as CalicoSelector };
  const accounts = parsedField('serviceAccountSelector', spec.serviceAccountSelector);
  const unknownKeys = 'selector' in accounts ? selectorKeys(accounts.selector).filter((key) => key !== SERVICE_ACCOUNT_NAME_LABEL) : [];
  const problems = [
    ...('problem' in selector ? [selector.problem] : []),
    ...('problem' in namespaces ? [namespaces.problem] : []),
    ...('problem' in accounts ? [accounts.problem] : []),
    ...(unknownKeys.length > 0 ? [`its serviceAccountSelector reads ServiceAccount labels (${unknownKeys.join(', ')}), which the audit does not read`] : []),
  ];
  return { selector, namespaces, accounts, unknownKeys, problems };
}

function readCalicoPolicy(policy: CalicoPolicy, inventory: KubeInventory, { global }: Scope): PolicyFacts {
  const spec = policy.spec ?? {};
  const types = effectiveCalicoTypes(spec);
  const { selector, namespaces, accounts, unknownKeys, problems: selectorProblems } = subjectSelectors(spec, global);
  const tierName = spec.tier ?? DEFAULT_TIER;
  const tier = tierDefault(tierName, inventory);
  const problems = [...selectorProblems, ...('unknown' in tier ? [tier.unknown] : [])];
  // An unreadable part answers "might select" for every pod it could reach: the model then makes them UNKNOWN.
  const podSelector = 'selector' in selector ? selector.selector : undefined;
  const accountSelector = 'selector' in accounts && unknownKeys.length === 0 ? accounts.selector : undefined;
  const namespaceSelector = 'selector' in namespaces ? namespaces.selector : undefined;
  const everyPod = podSelector !== undefined && selectsAll(podSelector) && accountSelector !== undefined && selectsAll(accountSelector);
  const podText = podSelector === undefined ? clip(spec.selector ?? '') : printCalicoSelector(podSelector);
  const subject: PolicySubject = {
    namespace: global ? null : namespaceOf(policy),
    selectsNamespace: (labels) => global && (namespaceSelector === undefined || matchesCalicoSelector(namespaceSelector, namespaceSelectorLabels(labels))),
    everyNamespace: global && namespaceSelector !== undefined && selectsAll(namespaceSelector),
    everyPod,
    selectsPod: (pod: Pod, labels: Record<string, string>) =>
      (podSelector === undefined || matchesCalicoSelector(podSelector, endpointLabels(pod, labels))) &&
      (accountSelector === undefined || matchesCalicoSelector(accountSelector, serviceAccountLabels(pod))),
    description: global ? `namespaces ${namespaceSelector === undefined ? clip(spec.namespaceSelector ?? '') : printCalicoSelector(namespaceSelector)}, pods ${podText}` : podText,
  };
  const passes = 'action' in tier && tier.action === 'Pass';
  const isolates = passes ? [] : types.filter((direction) => !passesEverything(spec, direction));
  const onlyDenies = (direction: PolicyType) => rulesOf(spec, direction).every((rule) => rule.action === 'Deny' || rule.action === 'Log');
  return {
    subject,
    isolates,
    // An unreadable policy might select every pod: as an unsure source, it might deny by default.
    deniesByDefault: everyPod || problems.length > 0 ? isolates.filter(onlyDenies) : [],
    tierRules: [],
    permissive: permissiveRules(spec, types, global),
    evidence: { policy_types: isolates, types, tier: tierName, ...(passes ? { tier_default_action: 'Pass' } : {}), order: spec.order ?? null },
    ...(problems.length > 0 ? { unreadable: problems.join('; ') } : {}),
  };
}

// Calico shows each Kubernetes NetworkPolicy as a Calico NetworkPolicy `knp.default.<name>` (and the upstream admin
// policies as `kanp.*` / `kbanp.*`): the original is read in its own API, so the mirror is not counted again.
const MIRROR_PREFIXES = ['knp.default.', 'kanp.', 'kbanp.'];

function isMirror(object: KubeObject): boolean {
  return MIRROR_PREFIXES.some((prefix) => object.metadata.name.startsWith(prefix));
}

type CalicoBucket =
  | 'calicoNetworkPolicies'
  | 'calicoGlobalNetworkPolicies'
  | 'calicoStagedNetworkPolicies'
  | 'calicoStagedGlobalNetworkPolicies'
  | 'calicoCrdNetworkPolicies'
  | 'calicoCrdGlobalNetworkPolicies'
  | 'calicoCrdStagedNetworkPolicies'
  | 'calicoCrdStagedGlobalNetworkPolicies';

/** One Calico policy API, in one of the two groups: `copyOf` names the v3 bucket of a CRD one. */
function calicoApi(bucket: CalicoBucket, scope: Scope, options: { staged?: boolean; copyOf?: CalicoBucket } = {}): PolicyApi<CalicoBucket> {
  return {
    bucket,
    enforcedBy: [EngineName.Calico],
    enforcers: ENFORCERS,
    ...(options.staged ? { neverEnforced: STAGED } : {}),
    ...(options.copyOf ? { copyOf: options.copyOf } : {}),
    isCopy: isMirror,
    loadWarning: (policy) => {
      const { problems } = subjectSelectors(policy.spec ?? {}, scope.global);
      return problems.length > 0 ? `${problems.join('; ')}: the pods it may select are UNKNOWN` : undefined;
    },
    read: (policy, inventory = {}) => readCalicoPolicy(policy, inventory, scope),
  };
}

type StagedKubernetesBucket = 'calicoStagedKubernetesNetworkPolicies' | 'calicoCrdStagedKubernetesNetworkPolicies';

/** StagedKubernetesNetworkPolicy: a core NetworkPolicy's spec and selection, staged. */
function stagedKubernetesApi(bucket: StagedKubernetesBucket, copyOf?: StagedKubernetesBucket): PolicyApi<StagedKubernetesBucket> {
  return {
    bucket,
    enforcedBy: [EngineName.Calico],
    enforcers: ENFORCERS,
    neverEnforced: STAGED,
    ...(copyOf ? { copyOf } : {}),
    read: (policy: CalicoStagedKubernetesNetworkPolicy) =>
      selectionPolicyFacts(policy, policy.spec ?? {}, effectivePolicyTypes({ ...policy, kind: 'NetworkPolicy' })),
  };
}

const NAMESPACED: Scope = { global: false };
const GLOBAL: Scope = { global: true };

/** Calico's policy APIs, the projectcalico.org/v3 ones first and their crd.projectcalico.org/v1 copies after. */
export const CALICO_POLICY_APIS: readonly PolicyApi[] = [
  calicoApi('calicoNetworkPolicies', NAMESPACED),
  calicoApi('calicoGlobalNetworkPolicies', GLOBAL),
  calicoApi('calicoStagedNetworkPolicies', NAMESPACED, { staged: true }),
  calicoApi('calicoStagedGlobalNetworkPolicies', GLOBAL, { staged: true }),
  stagedKubernetesApi('calicoStagedKubernetesNetworkPolicies'),
  calicoApi('calicoCrdNetworkPolicies', NAMESPACED, { copyOf: 'calicoNetworkPolicies' }),
  calicoApi('calicoCrdGlobalNetworkPolicies', GLOBAL, { copyOf: 'calicoGlobalNetworkPolicies' }),
  calicoApi('calicoCrdStagedNetworkPolicies', NAMESPACED, { staged: true, copyOf: 'calicoStagedNetworkPolicies' }),
  calicoApi('calicoCrdStagedGlobalNetworkPolicies', GLOBAL, { staged: true, copyOf: 'calicoStagedGlobalNetworkPolicies' }),
  stagedKubernetesApi('calicoCrdStagedKubernetesNetworkPolicies', 'calicoStagedKubernetesNetworkPolicies'),
] as PolicyApi[];
