/**
 * The per-direction isolation decision, in the order the VPC CNI agent evaluates a flow (POLICY-APIS.md §1.7, §0.5):
 * Admin-tier cluster rules first (an Accept of all pod traffic defeats isolation, a Deny isolates), then the namespace
 * policies (a selecting policy that isolates the direction isolates; one that selects the pod for the other direction
 * only leaves this one open: the agent's catch-all), then, for pods no namespace policy selects, Baseline-tier rules
 * and the default-deny settings. The catch-all is the VPC CNI agent's: a default deny that a selecting policy does
 * not lift (Cilium's `enable-policy: always`) denies every direction nothing isolates. The same decision serves one
 * pod and a whole namespace.
 */
import { catchAllClause } from '../engines/vpc-cni/catch-all.js';
import { PolicyType } from './direction.js';
import { Tier, TierAction, type PolicyView, type TierRule } from './policy-api.js';

/** A tier rule with the policy it belongs to. */
export interface AppliedTierRule {
  view: PolicyView;
  rule: TierRule;
}

/** The isolation of one pod (or one namespace) for one direction. */
export interface Isolation {
  isolated: boolean;
  /** What isolates it, each source named ("isolated by NetworkPolicy shop/default-deny"). */
  by: string[];
  /** What leaves it open when something does ("… (Admin tier) accepts all ingress from every namespace"). */
  open?: string;
  /** Why it cannot be told whether it is isolated (then `isolated` is false): sources whose being in force is unknown. */
  unknown?: string;
  /** Where per-pod evidence (a CiliumEndpoint) disagrees with this decision without overturning it, why. */
  disagreement?: string;
}

/** A default-deny setting in force for a pod (or a namespace), as a clause, and whether selection lifts it. */
export interface DefaultDeny {
  /** "denied by default: VPC CNI strict mode, no policy selects it". */
  clause: string;
  /**
   * True for the VPC CNI agent's default deny (strict mode, a DefaultDeny NodeClass): once a policy selects the pod,
   * the agent allows every direction no policy isolates (its catch-all). False when it holds whatever selects the pod.
   */
  liftedBySelection: boolean;
}

/** What applies to a pod (or every pod of a namespace) for one direction. */
export interface Applicable {
  /** The counted policies selecting it by selector (for any direction), cluster-scoped ones that isolate included. */
  selecting: readonly PolicyView[];
  /** The directions a selecting policy isolates for it; absent: each policy's `isolates`. */
  directionsOf?: (view: PolicyView) => readonly PolicyType[];
  /** The counted tier rules of cluster policies applying to it, port limits included. */
  tierRules: readonly AppliedTierRule[];
  /** The default-deny setting for it. */
  defaultDeny?: DefaultDeny;
}

const ACTION_ORDER: readonly string[] = Object.values(TierAction);

/** The rule that decides all pod traffic in `tier` for `direction`: lowest priority, then Deny before Accept before Pass. */
function decidingRule(rules: readonly AppliedTierRule[], tier: Tier, direction: PolicyType): AppliedTierRule | undefined {
  return rules
    .filter(({ rule }) => rule.tier === tier && rule.direction === direction && rule.ports.length === 0)
    .reduce<AppliedTierRule | undefined>((best, candidate) => {
      if (best === undefined) return candidate;
      const byPriority = candidate.rule.priority - best.rule.priority;
      const byAction = ACTION_ORDER.indexOf(candidate.rule.action) - ACTION_ORDER.indexOf(best.rule.action);
      return byPriority < 0 || (byPriority === 0 && byAction < 0) ? candidate : best;
    }, undefined);
}

/** "accepts all ingress from every namespace", "denies all egress to every namespace". */
export function tierRuleEffect(rule: TierRule): string {
  const verb = rule.action === TierAction.Accept ? 'accepts' : 'denies';
  const peer = rule.direction === PolicyType.Ingress ? 'from' : 'to';
  return `${verb} all ${rule.direction.toLowerCase()} ${peer} every namespace`;
}

function tierClause({ view, rule }: AppliedTierRule): string {
  return `${view.title} (${rule.tier} tier) ${tierRuleEffect(rule)}`;
}

/** Decides the isolation of what `applicable` describes for `direction`. */
export function decideIsolation(direction: PolicyType, applicable: Applicable): Isolation {
  const admin = decidingRule(applicable.tierRules, Tier.Admin, direction);
  if (admin?.rule.action === TierAction.Accept) return { isolated: false, by: [], open: tierClause(admin) };
  if (admin?.rule.action === TierAction.Deny) return { isolated: true, by: [`denied by ${tierClause(admin)}`] };

  const directionsOf = applicable.directionsOf ?? ((view: PolicyView) => view.isolates);
  const isolating = applicable.selecting.filter((view) => directionsOf(view).includes(direction));
  if (isolating.length > 0) return { isolated: true, by: isolating.map((view) => `isolated by ${view.title}`) };
  const baseline = decidingRule(applicable.tierRules, Tier.Baseline, direction);
  const { defaultDeny } = applicable;
  if (defaultDeny !== undefined && !defaultDeny.liftedBySelection) return { isolated: true, by: [defaultDeny.clause] };
  if (applicable.selecting.length > 0) {
    // Worth saying only where a default would otherwise have denied: the catch-all is what opens the direction then.
    const spared = baseline?.rule.action === TierAction.Deny ? tierClause(baseline) : defaultDeny?.clause;
    if (spared === undefined) return { isolated: false, by: [] };
    const others = applicable.selecting.map((view) => view.title).join(', ');
    return {
      isolated: false,
      by: [],
      open: catchAllClause(direction, others, spared.replace('denied by default: ', '')),
    };
  }

  if (baseline?.rule.action === TierAction.Deny) return { isolated: true, by: [`denied by default: ${tierClause(baseline)}`] };
  if (baseline?.rule.action === TierAction.Accept) return { isolated: false, by: [], open: tierClause(baseline) };
  if (defaultDeny) return { isolated: true, by: [defaultDeny.clause] };
  return { isolated: false, by: [] };
}

/** The isolation of a namespace for one direction, as `namespace-coverage` and `default-deny` read it. */
export interface NamespaceIsolation {
  /** What isolates some or all of its pods (its isolating policies, cluster rules, default-deny settings). */
  isolatedBy: string[];
  /** What denies the direction by default to every pod of it, present or future. */
  deniedByDefault: string[];
  /** The namespace policies among those that deny by default, by name (evidence). */
  defaultDenyPolicies: string[];
  /** What defeats its isolation (an Admin-tier accept-all). */
  open?: string;
  /** Why it cannot be told whether it is isolated (then `isolatedBy` is empty). */
  isolationUnknown?: string;
  /**
   * What isolates every running pod of it when nothing isolates the namespace itself: a NodeClass default deny holds
   * for the pods on its nodes only, not for a pod started on another node (set only then).
   */
  runningPodsOnly?: string[];
  /** Why it cannot be told whether it is denied by default (then `deniedByDefault` is empty). */
  defaultDenyUnknown?: string;
}

/**
 * Decides a namespace's isolation for `direction` from its counted policies, the tier rules that apply to all of its
 * pods, and the cluster-wide default deny (strict mode, Cilium's `always`). A policy selecting every pod for other
 * directions only opens this one for all of them (the catch-all), so neither the Baseline tier nor a default deny
 * that selection lifts applies then.
 */
export function decideNamespaceIsolation(
  direction: PolicyType,
  policies: readonly PolicyView[],
  tierRules: readonly AppliedTierRule[],
  defaultDeny: DefaultDeny | undefined,
): NamespaceIsolation {
  const admin = decidingRule(tierRules, Tier.Admin, direction);
  if (admin?.rule.action === TierAction.Accept) {
    return { isolatedBy: [], deniedByDefault: [], defaultDenyPolicies: [], open: tierClause(admin) };
  }
  const adminDeny = admin?.rule.action === TierAction.Deny ? [`denied by ${tierClause(admin)}`] : [];
  const denying = policies.filter((view) => view.deniesByDefault.includes(direction));
  const isolating = policies.filter((view) => view.isolates.includes(direction)).map((view) => `isolated by ${view.title}`);
  const openedForAll = policies.some((view) => view.subject.everyPod && !view.isolates.includes(direction));
  const baseline = openedForAll ? undefined : decidingRule(tierRules, Tier.Baseline, direction);
  const byDefault = [
    ...(baseline?.rule.action === TierAction.Deny ? [`denied by default: ${tierClause(baseline)}`] : []),
    ...(defaultDeny && !(openedForAll && defaultDeny.liftedBySelection) ? [defaultDeny.clause.replace('no policy selects it', 'for pods no policy selects')] : []),
  ];
  return {
    isolatedBy: [...adminDeny, ...isolating, ...byDefault],
    deniedByDefault: [...adminDeny, ...denying.map((view) => `denied by default by ${view.title}`), ...byDefault],
    defaultDenyPolicies: denying.map((view) => view.name),
  };
}

/** The sources of a decision whose being in force is not known, and why, for {@link decideUnsure}. */
export interface Unsure<Inputs> {
  /** The inputs with the unsure sources added. */
  inputs: Inputs;
  /** Why they are unsure, as a clause. */
  reason: string;
}

/**
 * Decides a pod's isolation on the sources known to be in force, and again with the unsure ones added: where the two
 * disagree, whether it is isolated cannot be told, and it is reported as such rather than guessed.
 */
export function decideUnsure(direction: PolicyType, sure: Applicable, unsure: Unsure<Applicable> | undefined): Isolation {
  const decided = decideIsolation(direction, sure);
  if (unsure === undefined || decideIsolation(direction, unsure.inputs).isolated === decided.isolated) return decided;
  return { isolated: false, by: [], unknown: unsure.reason };
}

/** What {@link decideNamespaceIsolation} reads. */
export interface NamespaceInputs {
  policies: readonly PolicyView[];
  tierRules: readonly AppliedTierRule[];
  defaultDeny: DefaultDeny | undefined;
}

/** {@link decideUnsure} for a namespace: isolation and default deny each become unknown where the unsure sources decide. */
export function decideNamespaceUnsure(direction: PolicyType, sure: NamespaceInputs, unsure: Unsure<NamespaceInputs> | undefined): NamespaceIsolation {
  const decide = ({ policies, tierRules, defaultDeny }: NamespaceInputs) => decideNamespaceIsolation(direction, policies, tierRules, defaultDeny);
  const decided = decide(sure);
  if (unsure === undefined) return decided;
  const alternative = decide(unsure.inputs);
  const isolated = (isolation: NamespaceIsolation) => isolation.open === undefined && isolation.isolatedBy.length > 0;
  const denied = (isolation: NamespaceIsolation) => isolation.deniedByDefault.length > 0;
  return {
    ...decided,
    ...(isolated(decided) === isolated(alternative) ? {} : { isolatedBy: [], isolationUnknown: unsure.reason }),
    ...(denied(decided) === denied(alternative) ? {} : { deniedByDefault: [], defaultDenyPolicies: [], defaultDenyUnknown: unsure.reason }),
  };
}
