/**
 * Kubernetes LabelSelector semantics: matching, validation and a short human description. Matching assumes a valid
 * selector (the loaders drop objects whose selector {@link selectorProblem} rejects, as the API server would have).
 */
import type { LabelSelector, LabelSelectorRequirement } from './snapshot.js';

/** The four LabelSelector operators Kubernetes accepts. */
export const SelectorOperator = { In: 'In', NotIn: 'NotIn', Exists: 'Exists', DoesNotExist: 'DoesNotExist' } as const;
export type SelectorOperator = (typeof SelectorOperator)[keyof typeof SelectorOperator];

const OPERATORS: readonly string[] = Object.values(SelectorOperator);

function labelValue(labels: Record<string, string> | undefined, key: string): string | undefined {
  // Own properties only: a label named "constructor" must not find Object.prototype.constructor.
  return labels !== undefined && Object.hasOwn(labels, key) ? labels[key] : undefined;
}

function meetsRequirement(requirement: LabelSelectorRequirement, labels: Record<string, string> | undefined): boolean {
  const value = labelValue(labels, requirement.key);
  const listed = value !== undefined && (requirement.values ?? []).includes(value);
  switch (requirement.operator) {
    case SelectorOperator.In:
      return listed;
    // NotIn and DoesNotExist match objects that lack the key altogether (Kubernetes labels.Selector semantics).
    case SelectorOperator.NotIn:
      return !listed;
    case SelectorOperator.Exists:
      return value !== undefined;
    case SelectorOperator.DoesNotExist:
      return value === undefined;
    default:
      return false;
  }
}

/**
 * True when `labels` satisfy `selector`: every `matchLabels` pair and every `matchExpressions` requirement (ANDed).
 * An absent or empty selector (`{}`, `{matchLabels: {}}`, `{matchExpressions: []}`) selects everything, as a
 * NetworkPolicy's `spec.podSelector: {}` does. An unknown operator matches nothing.
 */
export function matchesSelector(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  const pairs = Object.entries(selector?.matchLabels ?? {});
  return (
    pairs.every(([key, value]) => labelValue(labels, key) === value) &&
    (selector?.matchExpressions ?? []).every((requirement) => meetsRequirement(requirement, labels))
  );
}

/** True when the selector has no requirement at all, so it selects every object (`{}`, absent, or empty lists). */
export function selectsEverything(selector: LabelSelector | undefined): boolean {
  return Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;
}

// Label syntax (k8s.io/apimachinery validation): a value is empty or up to 63 alphanumerics, '-', '_', '.', starting
// and ending alphanumeric; a key is such a name with an optional DNS-subdomain prefix and '/'.
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Quotes a user-provided string for a message, shortened so a megabyte of input never reaches a log line. */
function quoted(text: string): string {
  return text.length <= 63 ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, 40))}… (${text.length} characters)`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short rendering of any JSON value for a message: strings quoted and shortened, structures named, not dumped. */
function shown(value: unknown): string {
  if (typeof value === 'string') return quoted(value);
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return 'an object';
  return String(value);
}

function valueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `is ${shown(value)}, not a string`;
  if (value.length > 63) return `${quoted(value)} is longer than 63 characters`;
  if (value !== '' && !NAME.test(value)) return `${quoted(value)} is not a valid label value`;
  return undefined;
}

function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return `is ${shown(key)}, not a string`;
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = key.slice(slash + 1);
  const validPrefix = prefix === undefined || (prefix.length <= 253 && PREFIX.test(prefix));
  const valid = validPrefix && name.length <= 63 && NAME.test(name);
  return valid ? undefined : `${quoted(key)} is not a valid label key`;
}

function matchLabelsProblem(matchLabels: unknown): string | undefined {
  if (matchLabels === undefined || matchLabels === null) return undefined;
  if (!isObject(matchLabels)) return 'matchLabels is not an object';
  for (const [key, value] of Object.entries(matchLabels)) {
    const problem = keyProblem(key) ?? valueProblem(value);
    if (problem) return `matchLabels[${quoted(key)}] ${problem}`;
  }
  return undefined;
}

function requirementProblem(requirement: unknown, path: string): string | undefined {
  if (!isObject(requirement)) return `${path} is not an object`;
  const keyIssue = keyProblem(requirement.key);
  if (keyIssue) return `${path}.key ${keyIssue}`;
  const { operator, values } = requirement;
  if (operator === undefined || operator === null) return `${path}.operator is missing`;
  if (typeof operator !== 'string' || !OPERATORS.includes(operator)) {
    return `${path}.operator ${shown(operator)} is not one of ${OPERATORS.join(', ')}`;
  }
  if (values !== undefined && values !== null && !Array.isArray(values)) return `${path}.values is not a list`;
  const list: unknown[] = Array.isArray(values) ? values : [];
  const needsValues = operator === SelectorOperator.In || operator === SelectorOperator.NotIn;
  if (needsValues && list.length === 0) return `${path}.values must not be empty for operator ${operator}`;
  if (!needsValues && list.length > 0) return `${path}.values must be empty for operator ${operator}`;
  for (const [index, value] of list.entries()) {
    const problem = valueProblem(value);
    if (problem) return `${path}.values[${index}] ${problem}`;
  }
  return undefined;
}

/**
 * Why `selector` is not a valid LabelSelector, in one line (e.g. `matchExpressions[1].operator "Contains" is not one
 * of In, NotIn, Exists, DoesNotExist`), or `undefined` when it is valid. Absent (`undefined`/`null`) is valid: it
 * selects everything. Checks the structure, the operators and their values, and label key/value syntax.
 */
export function selectorProblem(selector: unknown): string | undefined {
  if (selector === undefined || selector === null) return undefined;
  if (!isObject(selector)) return 'the selector is not an object';
  const labelsIssue = matchLabelsProblem(selector.matchLabels);
  if (labelsIssue) return labelsIssue;
  const expressions = selector.matchExpressions;
  if (expressions === undefined || expressions === null) return undefined;
  if (!Array.isArray(expressions)) return 'matchExpressions is not a list';
  for (const [index, requirement] of expressions.entries()) {
    const problem = requirementProblem(requirement, `matchExpressions[${index}]`);
    if (problem) return problem;
  }
  return undefined;
}

function describeRequirement({ key, operator, values = [] }: LabelSelectorRequirement): string {
  switch (operator) {
    case SelectorOperator.Exists:
      return key;
    case SelectorOperator.DoesNotExist:
      return `!${key}`;
    default:
      return `${key} ${operator.toLowerCase()} (${values.join(',')})`;
  }
}

/**
 * A selector in `kubectl` notation (`app=web,tier in (a,b),!legacy`), or `{} (all pods)` when it selects everything;
 * used in messages so a reader sees what a policy asks for.
 */
export function describeSelector(selector: LabelSelector | undefined): string {
  if (selectsEverything(selector)) return '{} (all pods)';
  const pairs = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  return [...pairs, ...(selector?.matchExpressions ?? []).map(describeRequirement)].join(',');
}
