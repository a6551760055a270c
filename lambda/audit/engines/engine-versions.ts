/**
 * The engine versions the audit can read, for the version gates of policy APIs (`PolicyApi.versionGates`): one
 * reader per engine, with the name its gates are written against. An engine without a reader has no known version,
 * so a gate on it is never taken as met.
 */
import type { ClusterSnapshot } from '../snapshot.js';
import { EngineName } from './engine-verdict.js';
import { versionGate, type FoundVersion, type GateReading } from './versions.js';
import { agentImageVersion, ANTREA_IMAGE, CALICO_IMAGE } from './agent-image-version.js';
import { VPC_CNI, vpcCniVersion } from './vpc-cni/version.js';

interface VersionReader {
  /** How gates name the product (`VPC CNI`). */
  product: string;
  read(snapshot: ClusterSnapshot): FoundVersion;
}

const READERS: Partial<Record<EngineName, VersionReader>> = {
  [EngineName.VpcCni]: { product: VPC_CNI, read: vpcCniVersion },
  [EngineName.Calico]: { product: CALICO_IMAGE.product, read: (snapshot) => agentImageVersion(snapshot, CALICO_IMAGE) },
  [EngineName.Antrea]: { product: ANTREA_IMAGE.product, read: (snapshot) => agentImageVersion(snapshot, ANTREA_IMAGE) },
};

/** Reads each engine's version at most once, and answers whether it meets a gate. */
export type EngineGates = (feature: string, engine: EngineName, minimum: string) => GateReading;

/** The gates of `snapshot`'s engines, their versions read on first use. */
export function engineGates(snapshot: ClusterSnapshot): EngineGates {
  const found = new Map<EngineName, FoundVersion>();
  return (feature, engine, minimum) => {
    const reader = READERS[engine];
    let version = found.get(engine);
    if (version === undefined) {
      version = reader?.read(snapshot) ?? { source: `the audit reads no version of ${engine}` };
      found.set(engine, version);
    }
    return versionGate(feature, reader?.product ?? engine, minimum, version);
  };
}
