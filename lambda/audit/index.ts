/**
 * The audit engine's entry point: one cluster snapshot in, every check's findings out. Also the short list of what
 * other modules (loaders, the command line, the Lambda handler, reporters) use from the engine.
 */
import type { AuditContext } from './check.js';
import { CHECKS } from './checks/index.js';
import type { CheckOutcome } from './checks/control.js';
import { detectEngine } from './engines.js';
import { Status, type AuditOptions, type CheckId, type Finding } from './finding.js';
import { compareResources, toFinding } from './findings.js';
import { buildModel } from './model.js';
import type { ClusterSnapshot } from './snapshot.js';
import { enforcedPolicyBuckets } from './isolation/enforcement.js';
import { unreadInputVerdict } from './unread-input.js';
import type { CheckVerdict } from './verdict.js';

/**
 * The verdict of a check that found nothing to judge (e.g. every namespace is excluded): one PASS on the cluster, so
 * every check visibly ran, rather than a silent absence that reads the same as a check that never ran.
 */
function nothingToEvaluate({ model, options }: AuditContext, scope: string): CheckVerdict {
  const excluded = options.excludedNamespaces.length > 0 ? ` (excluded namespaces: ${options.excludedNamespaces.join(', ')})` : '';
  return {
    status: Status.Pass,
    resource: model.cluster,
    message: `Nothing to evaluate: there are no ${scope}${excluded}.`,
    evidence: { excluded_namespaces: [...options.excludedNamespaces] },
  };
}

/** `verdict` with the suppression that matches it, when the run has suppressions and one does. */
function withSuppression(verdict: CheckVerdict, checkId: CheckId, { snapshot, options }: AuditContext): CheckVerdict {
  const suppression = options.suppress?.({ checkId, cluster: snapshot.cluster.name, resource: verdict.resource });
  return suppression ? { ...verdict, suppression } : verdict;
}

/**
 * Audits one cluster: builds the model and the engine verdict once, evaluates every registered check in registry
 * order (a check whose input was not read gives one UNKNOWN instead), marks the verdicts a suppression entry matches
 * (before `control` rolls them up), and returns the findings sorted by check
 * (registry order), then resource kind, namespace and name. Pure: the same snapshot and options give the same output.
 */
export function auditSnapshot(snapshot: ClusterSnapshot, options: AuditOptions): Finding[] {
  const engine = detectEngine(snapshot);
  const context: AuditContext = { snapshot, options, model: buildModel(snapshot, options, engine), engine };
  const enforcedApis = enforcedPolicyBuckets(engine, snapshot);
  const outcomes: CheckOutcome[] = [];
  const findings: Finding[] = [];
  for (const entry of CHECKS) {
    const unread = unreadInputVerdict(snapshot, entry.needsEnforcedPolicyApis ? [...entry.needs, ...enforcedApis] : entry.needs);
    const evaluated = unread ? [unread] : entry.check.evaluate(context, [...outcomes]);
    const verdicts = (evaluated.length > 0 ? evaluated : [nothingToEvaluate(context, entry.scope)]).map((verdict) =>
      withSuppression(verdict, entry.id, context),
    );
    outcomes.push({ id: entry.id, severity: entry.severity, verdicts });
    const sorted = [...verdicts].sort((left, right) => compareResources(left.resource, right.resource));
    findings.push(...sorted.map((verdict) => toFinding(verdict, entry, snapshot.cluster, options)));
  }
  return findings;
}

export { CHECKS, type RegisteredCheck } from './checks/index.js';
export { findingId } from './findings.js';
export { selectorProblem, matchesSelector } from './selectors.js';
export { effectivePolicyTypes } from './isolation/network-policy.js';
export {
  CONTROL_ID,
  CheckId,
  DEFAULT_EXCLUDED_NAMESPACES,
  SCHEMA_VERSION,
  Severity,
  Status,
  atOrAbove,
  type AuditOptions,
  type Finding,
} from './finding.js';
export type { ClusterSnapshot, CollectionProblem } from './snapshot.js';
