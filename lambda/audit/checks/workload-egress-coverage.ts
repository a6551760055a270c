/**
 * `workload-egress-coverage`: the Ingress coverage judgement of `workload-coverage`, for Egress (advisory: CIS asks
 * for isolation, and unrestricted egress is how a compromised pod reaches out).
 */
import type { Check } from '../check.js';
import { CheckId } from '../finding.js';
import { PolicyType } from '../isolation/direction.js';
import { coverageCheck } from './workload-coverage.js';

/** Egress coverage per workload (Low). */
export const workloadEgressCoverageCheck: Check = coverageCheck(CheckId.WorkloadEgressCoverage, PolicyType.Egress);
