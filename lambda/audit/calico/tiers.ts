/**
 * Calico tiers (POLICY-APIS.md §4.4): traffic that no policy of a tier decides gets the tier's `defaultAction` —
 * `Deny` unless set to `Pass`. A policy in a Pass tier therefore isolates nothing: what it does not decide goes on to
 * the next tier.
 */
import type { CalicoTier, KubeInventory } from '../snapshot.js';

/** The tier a policy without `spec.tier` belongs to. */
export const DEFAULT_TIER = 'default';

// Calico's own tiers for the upstream admin policies pass what they do not decide (fixed in 3.32 as kube-admin and
// kube-baseline; adminnetworkpolicy and baselineadminnetworkpolicy up to 3.31).
const BUILT_IN_PASS_TIERS: ReadonlySet<string> = new Set(['kube-admin', 'kube-baseline', 'adminnetworkpolicy', 'baselineadminnetworkpolicy']);

/** What a tier does with traffic none of its policies decides, or why that is not known. */
export type TierDefault = { action: 'Deny' | 'Pass' } | { unknown: string };

/** The Tiers read: the projectcalico.org/v3 ones, else their crd.projectcalico.org/v1 copies; `undefined` when neither was. */
function tiersRead(inventory: KubeInventory): CalicoTier[] | undefined {
  return inventory.calicoTiers ?? inventory.calicoCrdTiers;
}

/**
 * The default action of tier `name`: from its Tier object when Tiers were read; else the known default of Calico's
 * own tiers (`default` denies, the admin-policy tiers pass). Any other tier not read is unknown, never assumed.
 */
export function tierDefault(name: string, inventory: KubeInventory): TierDefault {
  const tiers = tiersRead(inventory);
  const tier = tiers?.find((candidate) => candidate.metadata.name === name);
  if (tier !== undefined) return { action: tier.spec?.defaultAction === 'Pass' ? 'Pass' : 'Deny' };
  if (BUILT_IN_PASS_TIERS.has(name)) return { action: 'Pass' };
  if (name === DEFAULT_TIER) return { action: 'Deny' };
  return { unknown: tiers === undefined ? `its tier ${name} was not read (Tiers were not read)` : `its tier ${name} is not among the Tiers read` };
}
