/**
 * Shape checks for the fields of a Kubernetes object that the audit reads. Input files are written by people and
 * tools we do not control; an object whose fields have the wrong type is reported and skipped here, so the checks
 * can trust the snapshot types and never crash on one bad object. Only types are checked, not Kubernetes' own value
 * rules: a label value longer than 63 characters is still a label.
 */
import { selectorProblem } from '../audit/selectors.js';
import type { LabelSelector } from '../audit/snapshot.js';
import { clipped } from './input-error.js';
import { CLUSTER_SCOPED_KINDS, isEngineConfigMap, type InventoryKind } from './kube-objects.js';

type Problem = string | undefined;
type Rule = (value: unknown, path: string) => Problem;

const POLICY_TYPES: ReadonlySet<unknown> = new Set(['Ingress', 'Egress']);

/** True for a JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What is wrong with `object` (already known to be of `kind`), as `path problem`, or `undefined` when the audit can
 * read it. Checks the metadata of every kind, and the spec and status fields the checks read for Pods, DaemonSets,
 * NetworkPolicies (including every label selector, with the audit's own selector rules) and ConfigMaps.
 */
export function objectProblem(kind: InventoryKind, object: Record<string, unknown>): Problem {
  return metadataProblem(kind, object.metadata) ?? KIND_RULES[kind]?.(object, '');
}

function metadataProblem(kind: InventoryKind, metadata: unknown): Problem {
  if (!isRecord(metadata)) return 'metadata is missing';
  if (typeof metadata.name !== 'string' || metadata.name === '') return 'metadata.name is missing';
  const namespaced = !CLUSTER_SCOPED_KINDS.has(kind);
  if (namespaced && (typeof metadata.namespace !== 'string' || metadata.namespace === '')) {
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
  hostNetwork: optional(flag),
  containers: optional(list(CONTAINER)),
  initContainers: optional(list(CONTAINER)),
  nodeSelector: optional(stringMap),
});

const PEER: Rule = fields({
  podSelector: optional(selector),
  namespaceSelector: optional(selector),
  ipBlock: optional(fields({ cidr: text, except: optional(list(text)) })),
});

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

const KIND_RULES: Partial<Record<InventoryKind, Rule>> = {
  Pod: fields({ spec: optional(POD_SPEC), status: optional(fields({ phase: optional(text) })) }),
  DaemonSet: fields({
    spec: optional(fields({ selector: optional(selector), template: optional(fields({ spec: optional(POD_SPEC) })) })),
    status: optional(DAEMON_SET_STATUS),
  }),
  NetworkPolicy: fields({
    spec: optional(
      fields({
        podSelector: optional(selector),
        policyTypes: optional(list(policyType)),
        ingress: optional(list(fields({ from: optional(list(PEER)), ports: optional(list(isObject)) }))),
        egress: optional(list(fields({ to: optional(list(PEER)), ports: optional(list(isObject)) }))),
      }),
    ),
  }),
  // Only the engine ConfigMaps keep their data (see retainedObject), so only theirs must be readable.
  ConfigMap: (value) =>
    isRecord(value) && isEngineConfigMap(value.metadata as { name: string })
      ? optional(stringMap)(value.data, 'data')
      : undefined,
};

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
