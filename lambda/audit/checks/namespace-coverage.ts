/**
 * `namespace-coverage` (CIS EKS 4.3.2): is every audited namespace, with or without pods, isolated in some direction
 * — by an enforced isolating policy in it, a cluster rule that covers it, or a default-deny setting — and not opened
 * again by an Admin-tier accept-all?
 */
import type { Check } from '../check.js';
import { CheckId, Status } from '../finding.js';
import { LIST_LIMIT, listNames } from '../findings.js';
import type { AuditModel } from '../model.js';
import { DIRECTIONS, PolicyType } from '../isolation/direction.js';
import { distinct } from '../engines/wording.js';
import type { CheckVerdict } from '../verdict.js';
import { defaultDenyRemediation } from './default-deny.js';
import { engineNote, type EngineNote } from './engine-note.js';
import { NODE_CLASS_CAVEAT, UNSURE_REMEDIATION, isolatedFor } from './isolation-wording.js';

function evaluateNamespace(namespace: string, model: AuditModel, podsRead: boolean, { enforced, note }: EngineNote): CheckVerdict {
  const views = model.policiesByNamespace.get(namespace) ?? [];
  const isolation = model.namespaceIsolation.get(namespace);
  const directions = DIRECTIONS.filter((direction) => isolation !== undefined && isolation[direction].open === undefined && isolation[direction].isolatedBy.length > 0);
  const isolatedBy = distinct(directions.flatMap((direction) => isolation?.[direction].isolatedBy ?? []));
  const opened = distinct(DIRECTIONS.flatMap((direction) => isolation?.[direction].open ?? []));
  const running = podsRead ? (model.podsByNamespace.get(namespace) ?? []).length : null;
  const resource = { kind: 'Namespace', namespace: null, name: namespace };
  const names = views.map((view) => view.name);
  const notEnforced = views.filter((view) => !view.counts);
  const evidence = {
    policies: names.slice(0, LIST_LIMIT),
    policy_count: names.length,
    isolated_directions: directions,
    isolated_by: isolatedBy.slice(0, LIST_LIMIT),
    ...(opened.length > 0 ? { opened_by: opened } : {}),
    running_pods: running,
    enforced,
  };
  if (directions.length > 0) {
    const message = `Namespace ${namespace} is ${directions.map((direction) => isolatedFor(direction, isolation?.[direction].isolatedBy ?? [])).join(', and ')}.${note}`;
    return { status: Status.Pass, resource, message, evidence };
  }
  const podsOnly = DIRECTIONS.filter((direction) => (isolation?.[direction].runningPodsOnly ?? []).length > 0);
  if (podsOnly.length > 0) {
    const by = podsOnly.map((direction) => isolatedFor(direction, isolation?.[direction].runningPodsOnly ?? []));
    return {
      status: Status.Pass,
      resource,
      message: `Namespace ${namespace} is ${by.join(', and ')}; ${NODE_CLASS_CAVEAT}.${note}`,
      evidence: {
        ...evidence,
        isolated_directions: podsOnly,
        isolated_by: distinct(podsOnly.flatMap((direction) => isolation?.[direction].runningPodsOnly ?? [])).slice(0, LIST_LIMIT),
        running_pods_only: true,
      },
    };
  }
  const unknown = distinct(DIRECTIONS.flatMap((direction) => isolation?.[direction].isolationUnknown ?? []));
  if (unknown.length > 0) {
    return {
      status: Status.Unknown,
      resource,
      message: `Cannot tell whether namespace ${namespace} is isolated: ${unknown.join('; ')}.${note}`,
      remediation: UNSURE_REMEDIATION,
      evidence: { ...evidence, unknown_because: unknown },
    };
  }
  const exposed =
    running === null || running === 0
      ? 'any pod started in it will accept traffic from any source'
      : `${running === 1 ? 'its running pod accepts' : `its ${running} running pods accept`} traffic from any source`;
  const why =
    opened.length > 0
      ? `${opened.join('; ')}, whatever its policies say`
      : notEnforced.length > 0
        ? `its policies are not enforced (${listNames(notEnforced.map((view) => `${view.title}: ${view.enforcementReason}`))})`
        : views.length > 0
          ? `none of its policies isolates a direction`
          : 'it has no policy';
  return {
    status: Status.Fail,
    resource,
    message: `Namespace ${namespace} is not isolated: ${why}; ${exposed}.`,
    remediation: defaultDenyRemediation(namespace, PolicyType.Ingress, `Isolate namespace ${namespace} with a default-deny policy.`),
    evidence,
  };
}

/** Per audited namespace: PASS when it is isolated in some direction; FAIL offers the default-deny manifest. */
export const namespaceCoverageCheck: Check = {
  id: CheckId.NamespaceCoverage,
  evaluate({ model, engine, snapshot }) {
    const note = engineNote(engine);
    const podsRead = snapshot.kube.pods !== undefined;
    return model.namespaces.map((namespace) => evaluateNamespace(namespace, model, podsRead, note));
  },
};
