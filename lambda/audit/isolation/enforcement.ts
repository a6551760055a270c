/**
 * Whether a policy is in force: its API must be enforced by an engine that runs in the cluster, that engine must not
 * report it rejected (a Cilium policy's `Valid` condition), and, where the VPC CNI alone enforces it and
 * PolicyEndpoints were read, its controller must have programmed it.
 */
import type { EngineGates } from '../engines/engine-versions.js';
import { EngineName, type EngineVerdict } from '../engines/engine-verdict.js';
import { GateState, type GateReading } from '../engines/versions.js';
import { Status } from '../finding.js';
import { countOf } from '../findings.js';
import { listOf } from '../engines/wording.js';
import { kindOfBucket, type KindBucket, type KindSpec } from '../kinds.js';
import { POLICY_APIS } from './apis.js';
import type { ClusterSnapshot } from '../snapshot.js';
import type { EndpointIndex } from './policy-endpoints.js';
import { Enforcement, type PolicyApi } from './policy-api.js';

/** A policy's enforcement, its reason, and whether its isolation counts for coverage (see `PolicyView.counts`). */
export interface EnforcementReading {
  enforcement: Enforcement;
  reason: string;
  counts: boolean;
}

/**
 * True when `api` holds stored copies of another API's objects and that API was read where it is served (or read
 * with objects, where nothing says): the copies are then neither needed nor counted again. An API that is not
 * installed is read as none, so then the copies are what there is.
 */
export function copiedApiRead(api: PolicyApi, { servedKinds, kube }: Pick<ClusterSnapshot, 'servedKinds' | 'kube'>): boolean {
  if (api.copyOf === undefined) return false;
  const copied = kube[api.copyOf];
  return copied !== undefined && (servedKinds?.[api.copyOf] === true || copied.length > 0);
}

/** The engines running in the cluster that enforce `api`. */
export function enforcingEnginesOf(api: PolicyApi, engine: EngineVerdict): EngineName[] {
  return engine.enforcing.filter((name) => api.enforcedBy === undefined || api.enforcedBy.includes(name));
}

/**
 * The buckets of the policy APIs (other than core NetworkPolicy, which the checks always need) that an enforcing
 * engine enforces and that may be installed: the isolation checks cannot decide without them, so an absent one makes
 * them UNKNOWN ("CiliumNetworkPolicies were not read"). Where the input says which APIs the cluster serves (live
 * discovery, or a capture's CRDs or discovery output), an API is skipped only when it says the API is not installed.
 * Where nothing says so (a plain `kubectl get` capture), only the APIs their engine installs with itself are needed
 * (Cilium's policies come with Cilium); an optional one (the AWS APIs, VPC CNI v1.21+) is taken as not installed.
 */
export function enforcedPolicyBuckets(engine: EngineVerdict, { servedKinds, kube }: Pick<ClusterSnapshot, 'servedKinds' | 'kube'>): KindBucket[] {
  return POLICY_APIS.filter(
    (api) =>
      !kindOfBucket(api.bucket).builtIn &&
      (servedKinds === undefined ? api.installedWithEngine === true : servedKinds[api.bucket] !== false) &&
      api.neverEnforced === undefined &&
      !copiedApiRead(api, { servedKinds, kube }) &&
      enforcingEnginesOf(api, engine).length > 0,
  ).map((api) => api.bucket);
}

/** What enforces (or fails to enforce) one policy of `api` named `name` that selects `selected` running pods. */
export function enforcementOf(
  api: PolicyApi,
  spec: KindSpec,
  policy: { namespace: string | null; name: string; selected: number; rejected?: string | undefined },
  engine: EngineVerdict,
  endpoints: EndpointIndex,
  gates: EngineGates,
): EnforcementReading {
  if (api.neverEnforced !== undefined) return { enforcement: Enforcement.Inert, reason: api.neverEnforced, counts: false };
  if (engine.status === Status.Unknown) {
    return { enforcement: Enforcement.Unknown, reason: 'whether an engine enforces it cannot be told (see the engine finding)', counts: true };
  }
  if (engine.status === Status.Fail) {
    return { enforcement: Enforcement.Inert, reason: 'no NetworkPolicy engine enforces policies in this cluster', counts: true };
  }
  const enforcing = enforcingEnginesOf(api, engine);
  if (enforcing.length === 0) {
    return {
      enforcement: Enforcement.Inert,
      reason: `${spec.label} are enforced only by ${api.enforcers ?? 'a NetworkPolicy engine'}, and the engines enforcing here (${listOf(engine.enforcing)}) do not enforce them`,
      counts: false,
    };
  }
  const readings = enforcing.map((name) => {
    const minimum = api.versionGates?.[name];
    return minimum === undefined ? undefined : gates(spec.label, name, minimum);
  });
  const engines = enforcing.filter((_, index) => readings[index] === undefined || readings[index].state === GateState.Met);
  if (engines.length === 0) {
    // Too old wherever it is known: inert. A version that cannot be read decides nothing: the policy is unsure, and
    // the checks it would decide say UNKNOWN (see `isUnsure`).
    const failed = readings.filter((reading): reading is GateReading => reading !== undefined);
    const unknown = failed.filter((reading) => reading.state === GateState.Unknown);
    return {
      enforcement: unknown.length > 0 ? Enforcement.Unknown : Enforcement.Inert,
      reason: (unknown.length > 0 ? unknown : failed).map((reading) => reading.clause).join('; '),
      counts: false,
    };
  }
  if (policy.rejected !== undefined) {
    return { enforcement: Enforcement.Inert, reason: `${listOf(engines)} rejected it: ${policy.rejected}`, counts: false };
  }
  // The evidence speaks only when the VPC CNI is the one engine that would enforce it: another engine writes none.
  const evidence = api.endpoints;
  const vpcCniAlone = engines.length === 1 && engines[0] === EngineName.VpcCni;
  if (evidence !== undefined && vpcCniAlone && endpoints.read(evidence) && policy.selected > 0) {
    if (!endpoints.owns(evidence, spec.kind, policy.namespace, policy.name)) {
      const endpointKind = evidence === 'policyEndpoints' ? 'PolicyEndpoint' : 'ClusterPolicyEndpoint';
      return {
        enforcement: Enforcement.Inert,
        reason:
          `it selects ${countOf(policy.selected, 'running pod')} but owns no ${endpointKind}: the VPC CNI's network policy ` +
          'controller has not programmed it (the controller is off or failing for this policy)',
        counts: false,
      };
    }
  }
  return { enforcement: Enforcement.Enforced, reason: `enforced by ${listOf(engines)}`, counts: true };
}
