/**
 * The plan of an organization run: the organization's ACTIVE accounts, the member role assumed in each, the EKS
 * clusters of every audited region, written to S3 as the Distributed Map's item list (interleaved by account). An
 * account whose role cannot be assumed, or a region that cannot be listed, never fails the run: it gets UNKNOWN
 * findings of its own (a pseudo-cluster "all clusters" of that account or region) and is named in the plan.
 */
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { S3Client } from '@aws-sdk/client-s3';
import type { AuditOptions } from '../audit/finding.js';
import { listClusterNames } from '../collect/eks.js';
import { auditNotDiscovered, type DiscoveryFailure } from '../live/cluster-audit.js';
import { mapSettledWithLimit } from '../live/concurrency.js';
import { WHOLE_REGION } from '../live/eks-fleet.js';
import { parseInvocation } from '../live/invocation.js';
import { storeFindings } from '../report/s3-store.js';
import { listActiveAccounts, type OrgAccount } from './accounts.js';
import type { MemberAccess } from './member-access.js';
import type { OrgConfig } from './org-config.js';
import { enabledRegions } from './regions.js';
import { putJson } from './s3-json.js';
import { runKeys, interleaveByAccount, type ClusterItem, type PlanDocument, type PlanFailure, type PlanPointer } from './run-layout.js';

/** Accounts planned at once: each takes an AssumeRole and one ListClusters per region. */
export const PLAN_CONCURRENCY = 8;

/** The cluster name of the UNKNOWN findings of an organization whose accounts could not be listed. */
export const WHOLE_ORGANIZATION = 'all accounts';

/** What the plan works with. */
export interface PlanDependencies {
  config: OrgConfig;
  organizations: OrganizationsClient;
  access: MemberAccess;
  s3: S3Client;
}

/** The plan's input, as the state machine passes it: the execution's name and start time, and the manual request. */
export interface PlanRequest {
  runId: string;
  startedAt: string;
  /** A manual run's regions instead of the configured ones. */
  regions?: string[];
  /** A manual run's cluster names: only clusters so named are audited. */
  clusters?: string[];
}

/** The plan's input is not what the state machine sends; the message says what is wrong. */
export class PlanRequestError extends Error {
  override readonly name = 'PlanRequestError';
}

/** What could not be planned, as the single-account discovery reports it: one UNKNOWN control finding on it. */
type Unreached = DiscoveryFailure;

const accountResource = (account: string) => ({ kind: 'Account', namespace: null, name: account });

/** The plan handler over `deps`: plans one run and returns the pointers the rest of the state machine reads. */
export function createPlanHandler(deps: PlanDependencies): (event: unknown) => Promise<PlanPointer> {
  return async (event) => {
    const request = planRequest(event);
    const { config } = deps;
    const options: AuditOptions = { runId: request.runId, observedAt: new Date(request.startedAt), excludedNamespaces: config.excludedNamespaces };

    let accounts: OrgAccount[] = [];
    const unreached: Unreached[] = [];
    try {
      accounts = await listActiveAccounts(deps.organizations, config.organizationalUnits);
    } catch (error) {
      unreached.push({
        cluster: { name: WHOLE_ORGANIZATION },
        resource: { kind: 'Organization', namespace: null, name: 'organization' },
        reason: (error as Error).message,
        remediation: 'Deploy the hub in the management account or a delegated administrator account of AWS Organizations, with organizations:ListAccounts allowed to the plan function.',
      });
    }
    const planned = await mapSettledWithLimit(accounts, PLAN_CONCURRENCY, (account) => planAccount(deps, request, account));
    const clusters: ClusterItem[] = [];
    planned.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') {
        clusters.push(...outcome.value.clusters);
        unreached.push(...outcome.value.unreached);
      } else {
        const account = (accounts[index] as OrgAccount).id;
        unreached.push({
          cluster: { name: WHOLE_REGION, accountId: account },
          resource: accountResource(account),
          reason: `planning failed: ${(outcome.reason as Error).message}`,
          remediation: RETRY,
        });
      }
    });

    const failures = await storeUnreached(deps, unreached, options);
    const keys = runKeys(config.runsPrefix, request.runId);
    const plan: PlanDocument = { runId: request.runId, observedAt: request.startedAt, accounts, clusters: clusters.length, failures };
    await putJson(deps.s3, config.bucket, keys.clustersKey, interleaveByAccount(clusters));
    await putJson(deps.s3, config.bucket, keys.planKey, plan);
    return { runId: request.runId, observedAt: request.startedAt, bucket: config.bucket, ...keys, clusters: clusters.length };
  };
}

const RETRY = 'The next run plans this account again; if the failure repeats, report it with this message.';

async function planAccount(
  deps: PlanDependencies,
  request: PlanRequest,
  account: OrgAccount,
): Promise<{ clusters: ClusterItem[]; unreached: Unreached[] }> {
  const { config, access } = deps;
  const whole = (reason: string, remediation: string) => ({
    clusters: [],
    unreached: [{ cluster: { name: WHOLE_REGION, accountId: account.id }, resource: accountResource(account.id), reason, remediation }],
  });
  try {
    await access.credentials(account.id);
  } catch (error) {
    return whole(
      (error as Error).message,
      `Deploy the member role ${config.memberRoleName} to account ${account.id} (${account.name}): the hub's StackSet ` +
        'creates it in every account of the organization; check that the stack instance of this account succeeded and that the role trusts this hub.',
    );
  }
  let regions = request.regions ?? config.regions;
  if (regions.length === 0) {
    try {
      regions = await enabledRegions(access.accountClient(account.id));
    } catch (error) {
      return whole(
        (error as Error).message,
        `Allow account:ListRegions to ${config.memberRoleName} in account ${account.id} (the member template grants it), or name the regions to audit in the regions setting.`,
      );
    }
  }
  const wanted = request.clusters ? new Set(request.clusters) : undefined;
  const filters = wanted ? { include: [], exclude: [] } : { include: config.include, exclude: config.exclude };
  const listed = await Promise.all(
    regions.map(async (region) => {
      try {
        const names = await listClusterNames(access.eks(account.id, region), filters);
        return { clusters: names.filter((name) => !wanted || wanted.has(name)).map((name) => ({ account: account.id, region, name })) };
      } catch (error) {
        const unreached: Unreached = {
          cluster: { name: WHOLE_REGION, accountId: account.id, region },
          resource: { kind: 'Region', namespace: null, name: region },
          reason: (error as Error).message,
          remediation: `Check that ${config.memberRoleName} in account ${account.id} may call eks:ListClusters in ${region}; the next run lists it again.`,
        };
        return { unreached };
      }
    }),
  );
  return {
    clusters: listed.flatMap((region) => region.clusters ?? []),
    unreached: listed.flatMap((region) => (region.unreached ? [region.unreached] : [])),
  };
}

/** Stores the UNKNOWN findings of every account or region not reached; a failed store leaves its entry without key. */
async function storeUnreached(deps: PlanDependencies, unreached: Unreached[], options: AuditOptions): Promise<PlanFailure[]> {
  const target = { bucket: deps.config.bucket, prefix: deps.config.prefix };
  return Promise.all(
    unreached.map(async (discovery) => {
      const { cluster, reason } = discovery;
      const audit = auditNotDiscovered(discovery, options);
      const failure: PlanFailure = {
        ...(cluster.accountId ? { account: cluster.accountId } : {}),
        ...(cluster.region ? { region: cluster.region } : {}),
        reason,
      };
      try {
        const [key] = await storeFindings(deps.s3, target, audit.findings);
        return { ...failure, ...(key ? { key } : {}) };
      } catch (error) {
        return { ...failure, reason: `${reason}; its UNKNOWN findings could not be stored either: ${(error as Error).message}` };
      }
    }),
  );
}

const RUN_ID = /^[A-Za-z0-9_-]{1,80}$/;

function planRequest(event: unknown): PlanRequest {
  const record = typeof event === 'object' && event !== null && !Array.isArray(event) ? (event as Record<string, unknown>) : {};
  const { runId, startedAt, regions, clusters } = record;
  if (typeof runId !== 'string' || !RUN_ID.test(runId)) {
    throw new PlanRequestError('the plan needs "runId": the execution name (letters, digits, - and _, at most 80)');
  }
  if (typeof startedAt !== 'string' || Number.isNaN(new Date(startedAt).getTime())) {
    throw new PlanRequestError('the plan needs "startedAt": the execution start time, ISO-8601');
  }
  // The manual request's lists are validated exactly as the single-account handler validates its manual event.
  const manual = parseInvocation({ ...(regions === undefined ? {} : { regions }), ...(clusters === undefined ? {} : { clusters }) }, runId);
  return {
    runId,
    startedAt,
    ...(manual.regions ? { regions: manual.regions } : {}),
    ...(manual.clusters ? { clusters: manual.clusters } : {}),
  };
}
