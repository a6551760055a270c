/**
 * The VPC CNI agent's catch-all (POLICY-APIS.md §1.3): a pod that policies select only for other directions gets
 * this one opened entirely, so neither strict mode, a NodeClass's DefaultDeny nor a Baseline-tier deny applies to it.
 */
import type { PolicyType } from '../../isolation/direction.js';

/**
 * Why `direction` is open though a default would have denied it: `selectors` are the policies that select the pod
 * for other directions only, `spared` the default deny that does not apply (without its "denied by default: ").
 */
export function catchAllClause(direction: PolicyType, selectors: string, spared: string): string {
  return `selected only for other directions (by ${selectors}), so the VPC CNI agent allows all ${direction} and the default deny (${spared}) does not apply`;
}
