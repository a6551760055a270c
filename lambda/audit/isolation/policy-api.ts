/**
 * The one interface every policy API plugs into. An adapter reads one object of its API (a row of kinds.ts) into
 * {@link PolicyFacts}: which pods it applies to, which directions it isolates by selection, which directions it denies
 * by default, what its rules do to all pod traffic (tiered cluster policies), and which of its rules admit everything.
 * The model (model.ts) matches the facts against the running pods and decides enforcement; the checks read only
 * views, never specs. Adding a policy API is one row in kinds.ts and one adapter in apis.ts.
 */
import type { EngineName } from '../engines/engine-verdict.js';
import type { FindingResource, Severity } from '../finding.js';
import type { InventoryObjects, KubeInventory, KubeObject, Pod } from '../snapshot.js';
import type { KindBucket } from '../kinds.js';
import type { PolicyType } from './direction.js';

/** The tiers of a cluster policy: Admin before the namespace policies, Baseline after them. */
export const Tier = { Admin: 'Admin', Baseline: 'Baseline' } as const;
export type Tier = (typeof Tier)[keyof typeof Tier];

/** What a tiered rule does with the traffic it matches; the order is the AWS agent's tie-break (Deny first). */
export const TierAction = { Deny: 'Deny', Accept: 'Accept', Pass: 'Pass' } as const;
export type TierAction = (typeof TierAction)[keyof typeof TierAction];

/** A rule of a tiered cluster policy that matches the traffic of every pod of every namespace. */
export interface TierRule {
  direction: PolicyType;
  tier: Tier;
  /** Lower wins within a tier. */
  priority: number;
  action: TierAction;
  /** Its path in the object (`spec.ingress[0]`). */
  rule: string;
  /** The ports it is limited to (`TCP/80`); empty when it matches every port. */
  ports: string[];
}

/** A rule that admits all traffic of some wide class to the pods its policy selects. */
export interface PermissiveRule {
  /** Its path in the object (`spec.ingress[2]`). */
  rule: string;
  /** What it admits: `all traffic from everywhere`, `traffic from every pod of every namespace`. */
  admits: string;
  /** Why, e.g. `no "from": every source is allowed`. */
  reason: string;
  /** The ports it is limited to (`TCP/80`, `UDP/53`, `TCP/8000-9000`); empty when it admits every port. */
  ports: string[];
  /** Set when the rule is graver than its check's severity (an Admin-tier allow-all is Medium). */
  severity?: Severity;
}

/** Which pods a policy applies to (its podSelector, or a cluster policy's subject). */
export interface PolicySubject {
  /** The namespace whose pods it may select; `null` for a cluster-scoped policy, see `selectsNamespace`. */
  namespace: string | null;
  /** Whether a cluster-scoped policy applies to a namespace with these labels; namespaced ones never use it. */
  selectsNamespace(labels: Record<string, string>): boolean;
  /** A cluster-scoped policy that applies to every namespace, present or future. */
  everyNamespace: boolean;
  /** It selects every pod of each namespace it applies to, present or future (an empty podSelector). */
  everyPod: boolean;
  /** Whether it selects `pod` (of a namespace it applies to), whose namespace has `namespaceLabels` (objects.ts). */
  selectsPod(pod: Pod, namespaceLabels: Record<string, string>): boolean;
  /** The selection in kubectl notation, for messages (`app=web`, `{} (all pods)`). */
  description: string;
  /** Set when it applies to nodes instead of pods (a Cilium host-firewall policy): those nodes, for messages. */
  nodes?: string;
}

/** What one policy object says, before it meets the pods. */
export interface PolicyFacts {
  subject: PolicySubject;
  /** The directions it isolates for the pods it selects (effective policyTypes); none for tiered cluster policies. */
  isolates: PolicyType[];
  /**
   * Set when the directions differ between the pods it selects (a Cilium policy's rules in `specs[]`): the directions
   * it isolates for `pod`, whose namespace has `namespaceLabels`. Absent: `isolates`, for every pod it selects.
   */
  isolatesPod?(pod: Pod, namespaceLabels: Record<string, string>): PolicyType[];
  /** The directions it denies by default to every pod of its namespace (empty selector, isolated, no rules). */
  deniesByDefault: PolicyType[];
  /** Its rules that match all pod traffic (tiered cluster policies only). */
  tierRules: TierRule[];
  permissive: PermissiveRule[];
  /** Extra evidence of the policy's findings (`policy_types`, `tier`, `priority`). */
  evidence: Record<string, unknown>;
  /** Set when its engine reports it rejected it (a Cilium policy whose `Valid` condition is `False`): why. Inert. */
  rejected?: string;
  /**
   * Why the audit cannot tell what the policy does (a selector it cannot parse, a tier it did not read): the policy is
   * left out of the isolation, the pods its subject might select are UNKNOWN where it could decide their isolation,
   * and the audit is incomplete. Its subject then answers for every pod it might select.
   */
  unreadable?: string;
}

/** The evidence objects that show the VPC CNI's controller programmed a policy. */
export type EndpointBucket = 'policyEndpoints' | 'clusterPolicyEndpoints';

/** An adapter: one policy API (one row of kinds.ts), the engines that enforce it, and how to read its objects. */
export interface PolicyApi<Bucket extends KindBucket = KindBucket> {
  bucket: Bucket;
  /** The engines that enforce it; absent: every NetworkPolicy engine does (core NetworkPolicy). */
  enforcedBy?: readonly EngineName[];
  /** The first release of an enforcing engine that enforces it, per engine (absent: every release does). */
  versionGates?: Partial<Record<EngineName, string>>;
  /** How messages name those engines (`the VPC CNI's network policy agent or EKS Auto Mode`). */
  enforcers?: string;
  /**
   * Its policies act only through tier rules (tiered policies, namespaced or not): they never select a pod as a
   * namespace policy does, so they neither isolate it nor keep the Baseline tier and default denies from it.
   */
  tiered?: boolean;
  /** Where the VPC CNI's controller records that it programmed one of these policies. */
  endpoints?: EndpointBucket;
  /** Why no engine ever enforces it (Calico's staged policies only preview); absent for enforced APIs. */
  neverEnforced?: string;
  /** The bucket whose objects these are stored copies of: when that bucket was read, this one is not counted again. */
  copyOf?: KindBucket;
  /** True for an object that only mirrors one of another API (Calico's `knp.default.*` for a core NetworkPolicy). */
  isCopy?(object: KubeObject): boolean;
  /** What loading warns of about an object the audit will not be able to read (a Calico selector it cannot parse). */
  loadWarning?(object: InventoryObjects[Bucket]): string | undefined;
  /**
   * True when its enforcing engines always install it (Cilium installs its policy CRDs): then an input that does not
   * say which APIs are installed but lacks its objects did not capture them (UNKNOWN), rather than "not installed".
   */
  installedWithEngine?: boolean;
  /** Reads one object; `inventory` for what its API refers to (a Calico policy's tier), none when absent. */
  read(object: InventoryObjects[Bucket], inventory?: KubeInventory): PolicyFacts;
}

/** Whether a policy is in force: enforced, inert (nothing enforces it, and why), or not known. */
export const Enforcement = { Enforced: 'enforced', Inert: 'inert', Unknown: 'unknown' } as const;
export type Enforcement = (typeof Enforcement)[keyof typeof Enforcement];

/** A policy of an audited namespace (or a cluster-scoped one) with what the checks ask about it. */
export interface PolicyView extends PolicyFacts {
  api: PolicyApi;
  /** The finding resource: kind, namespace, name, and `api_group` when the kind alone is ambiguous. */
  resource: FindingResource;
  /** How messages name it: `NetworkPolicy shop/default-deny`, `ClusterNetworkPolicy allow-everything`. */
  title: string;
  name: string;
  /** The running pods it selects; host-network pods are not among them, since no policy applies to them. */
  selected: Pod[];
  /** Running host-network pods it would otherwise select (reported by `dangling-policy`). */
  hostNetworkMatches: number;
  enforcement: Enforcement;
  /** Why it is inert or why its enforcement is unknown; empty when enforced. */
  enforcementReason: string;
  /**
   * Whether its isolation counts for coverage: not when it is inert for a reason of its own (its API is not enforced
   * by the engines that run, its PolicyEndpoint is missing). When no engine runs at all, coverage still judges
   * selection and says the policies are inert (the engine check fails).
   */
  counts: boolean;
}

/**
 * A policy whose being in force cannot be told for a reason of its own (an engine version that cannot be read): it
 * does not count, yet the checks it would decide say UNKNOWN rather than FAIL. (When the engine itself is unknown,
 * policies still count and the engine finding says so.)
 */
export function isUnsure(view: PolicyView): boolean {
  return view.enforcement === Enforcement.Unknown && !view.counts;
}
