/**
 * Where the `audit` command's snapshots come from. Each source mode is one collector returning the snapshots of the
 * clusters it reaches; the command does not care which ran. Live collection (kubeconfig, EKS) plugs in here.
 */
import type { ClusterSnapshot } from '../lambda/audit/snapshot.js';
import { loadOfflineSnapshot } from '../lambda/collect/offline.js';
import { SourceMode, type SourceSelection } from './args.js';
import { UsageError } from './io.js';

/** Collects the snapshots `selection` names; `warn` gets one line per thing skipped or assumed. */
export async function collectSnapshots(
  selection: SourceSelection,
  warn: (message: string) => void,
): Promise<ClusterSnapshot[]> {
  switch (selection.mode) {
    case SourceMode.Offline:
      return [await loadOfflineSnapshot(selection.offline, warn)];
    case SourceMode.Kubeconfig:
    case SourceMode.Eks:
      throw new UsageError('live sources are not available in this build');
  }
}
