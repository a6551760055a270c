/** The two traffic directions a policy can isolate, named as NetworkPolicy's `policyTypes` name them. */
export const PolicyType = { Ingress: 'Ingress', Egress: 'Egress' } as const;
export type PolicyType = (typeof PolicyType)[keyof typeof PolicyType];

/** Both directions, in the order messages and evidence list them. */
export const DIRECTIONS: readonly PolicyType[] = [PolicyType.Ingress, PolicyType.Egress];

/** The policyTypes among `listed` as directions, in {@link DIRECTIONS} order; anything else is ignored. */
export function directionsIn(listed: readonly string[] | undefined): PolicyType[] {
  return DIRECTIONS.filter((direction) => (listed ?? []).includes(direction));
}
