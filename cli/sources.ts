/**
 * Where the `audit` command's findings come from. Offline files are loaded into one snapshot and audited; live
 * sources (a kubeconfig context, EKS clusters) run the same live-audit code as the Lambda handler. Either way the
 * command gets every cluster's findings plus the clusters that could not be audited. The live code loads only when
 * a live source is used.
 */
import { auditSnapshot } from '../lambda/audit/index.js';
import type { Finding } from '../lambda/audit/finding.js';
import type { LiveAuditOptions } from '../lambda/live/cluster-audit.js';
import { loadOfflineSnapshot } from '../lambda/collect/offline.js';
import { SourceMode, type SourceSelection } from './args.js';
import type { CommandIo } from './io.js';
import type { LiveAuditResult } from './live-sources.js';

/**
 * Audits the clusters `selection` names; `warn` gets one line per thing skipped or assumed in offline files and per
 * list item a live cluster's API answered unreadably, `finish`
 * each cluster's findings as soon as that cluster is done (changes since the previous run, `--output`) and returns
 * them as the run keeps them. `options.deadline` bounds live clusters.
 */
export async function auditSources(
  selection: SourceSelection,
  options: LiveAuditOptions,
  io: CommandIo,
  warn: (message: string) => void,
  finish: (findings: Finding[]) => Promise<Finding[]> = async (findings) => findings,
): Promise<LiveAuditResult> {
  if (selection.mode === SourceMode.Offline) {
    const snapshot = await loadOfflineSnapshot(selection.offline, warn, io.stdin);
    return { findings: await finish(auditSnapshot(snapshot, options)), failedClusters: [] };
  }
  // The live stack (AWS SDK, Kubernetes client) is most of the code: offline audits never load it.
  const { auditLiveSources, terminalProgress } = await import('./live-sources.js');
  const progress = terminalProgress(io);
  return auditLiveSources(selection, { ...options, env: io.env, ...(progress ? { progress } : {}), warn, finish });
}
