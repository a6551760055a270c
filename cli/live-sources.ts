/**
 * The `audit` command's live sources: a kubeconfig context (any cluster, EKS or not) or EKS clusters reached with
 * the AWS default credential chain. One function returns every cluster's findings plus the clusters that could not
 * be audited; it runs the same live-audit code as the Lambda handler.
 */
import type { EKSClient } from '@aws-sdk/client-eks';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { failedClustersOf, type ClusterAudit, type FailedCluster, type LiveAuditOptions } from '../lambda/live/cluster-audit.js';
import { regionalEksClients } from '../lambda/live/eks-clients.js';
import { auditEksFleet } from '../lambda/live/eks-fleet.js';
import { KubeconfigError, auditKubeconfigContext } from '../lambda/live/kubeconfig-context.js';
import type { Finding } from '../lambda/audit/finding.js';
import { skippedWarning } from '../lambda/collect/kube-input.js';
import { summarize } from '../lambda/report/summary.js';
import { SourceMode, type SourceSelection } from './args.js';
import { UsageError, type CommandIo } from './io.js';

/** The live source flags, as `parseAuditArguments` returns them. */
export type LiveSelection = Exclude<SourceSelection, { mode: typeof SourceMode.Offline }>;

/** How to run a live audit from the command line. */
export interface LiveRunOptions extends LiveAuditOptions {
  /** Where `KUBECONFIG`, `AWS_REGION` and `AWS_DEFAULT_REGION` are read from. */
  env: Record<string, string | undefined>;
  /** Gets one line per cluster as its audit ends (see {@link terminalProgress}). */
  progress?: (line: string) => void;
  /** AWS access for EKS mode; defaults to the default credential chain and one EKS client per region. */
  aws?: { credentials: AwsCredentialIdentityProvider; eksFor(region: string): EKSClient };
  /** Gets one line per list item skipped as unreadable, naming the cluster, as the offline audit warns. */
  warn?: (message: string) => void;
  /** Takes one cluster's findings as soon as its audit is done (`--output`) and returns them as the run keeps them. */
  finish?: (findings: Finding[]) => Promise<Finding[]>;
}

/** Every audited cluster's findings, and the clusters (or regions) that could not be audited, with why. */
export interface LiveAuditResult {
  findings: Finding[];
  failedClusters: FailedCluster[];
}

/**
 * Audits the live clusters `selection` names, each within its deadline, handing each cluster's findings to
 * `finish` as soon as it is done. Kubeconfig mode: the chosen context's cluster. EKS mode: the named
 * clusters (or, with `--all-clusters`, every cluster) of each region, four at a time; regions default to
 * `AWS_REGION` (then `AWS_DEFAULT_REGION`). Throws {@link UsageError} for an unusable kubeconfig, context or missing
 * region; a cluster that cannot be reached is not an error but UNKNOWN findings and a failed-cluster entry.
 */
export async function auditLiveSources(selection: LiveSelection, options: LiveRunOptions): Promise<LiveAuditResult> {
  const finish = async (audit: ClusterAudit): Promise<ClusterAudit> => {
    options.progress?.(progressLine(audit));
    for (const skipped of audit.skipped ?? []) options.warn?.(`${label(audit.cluster)}: ${skippedWarning(skipped)}`);
    return options.finish ? { ...audit, findings: await options.finish(audit.findings) } : audit;
  };
  let audits: ClusterAudit[];
  if (selection.mode === SourceMode.Kubeconfig) {
    try {
      const source = { kubeconfig: selection.kubeconfig, context: selection.context, env: options.env };
      audits = [await finish(await auditKubeconfigContext(source, options))];
    } catch (error) {
      if (error instanceof KubeconfigError) throw new UsageError(error.message);
      throw error;
    }
  } else {
    const regions = selection.regions.length > 0 ? selection.regions : defaultRegions(options.env);
    const aws = options.aws ?? defaultAws();
    const request = { regions, ...(selection.allClusters ? {} : { clusters: selection.clusters }), eksFor: aws.eksFor, credentials: aws.credentials, options };
    audits = await auditEksFleet(request, finish);
  }
  return { findings: audits.flatMap((audit) => audit.findings), failedClusters: failedClustersOf(audits) };
}

/** A progress callback writing to `io.stderr` when it is a terminal; `undefined` otherwise (pipes and CI stay quiet). */
export function terminalProgress(io: CommandIo): ((line: string) => void) | undefined {
  return io.stderr.isTTY === true ? (line) => io.stderr.write(`${line}\n`) : undefined;
}

/** `prod (eu-west-1): FAIL; findings: 10 FAIL, 2 UNKNOWN, 30 PASS` (as the table counts), or `… : not audited: <reason>`. */
function progressLine(audit: ClusterAudit): string {
  if (audit.failure !== undefined) return `${label(audit.cluster)}: not audited: ${audit.failure}`;
  // The table's own counts (summary.ts), so the two never disagree: the control roll-up is the verdict, not a finding.
  const summary = summarize(audit.findings)[0];
  if (!summary) return `${label(audit.cluster)}: no findings`;
  const { counts, control } = summary;
  return `${label(audit.cluster)}: ${control?.status ?? 'no verdict'}; findings: ${counts.FAIL} FAIL, ${counts.UNKNOWN} UNKNOWN, ${counts.PASS} PASS`;
}

function label(cluster: { name: string; region?: string }): string {
  return cluster.region ? `${cluster.name} (${cluster.region})` : cluster.name;
}

function defaultRegions(env: Record<string, string | undefined>): string[] {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError('no AWS region: pass --region R or set AWS_REGION');
  return [region];
}

/** The default credential chain and one EKS client per region, as the live audit reaches EKS. */
export function defaultAws(): NonNullable<LiveRunOptions['aws']> {
  return { credentials: fromNodeProviderChain(), eksFor: regionalEksClients() };
}
