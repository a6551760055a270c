/**
 * Release versions as engines publish them: EKS add-on versions (`v1.18.3-eksbuild.1`), image tags (`v3.29.1`,
 * `v1.19.0-eksbuild.1`) and gates written short (`v1.21`). The leading `major.minor[.patch]` counts (a missing patch
 * is 0). A suffix such as `-eksbuild.1` is a build of that release, not a semver pre-release (semver would sort it
 * before the release, and `v1.17.1-eksbuild.1` would then miss a v1.17.1 gate); only `-rc`, `-alpha`, `-beta` and
 * `-pre` suffixes mark a pre-release, which sorts before its release. Anything else (`latest`, a date, a digest) is
 * not a version: comparisons with it are `undefined`, never a guess.
 */

// At least major.minor: a bare number is as likely a date or a build id as a release.
const VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?([-+][0-9A-Za-z.+-]*)?$/;
const PRE_RELEASE = /^-(?:rc|alpha|beta|pre)/i;

/** A release version read from text. */
export interface Version {
  /** `[major, minor, patch]`. */
  parts: readonly [number, number, number];
  /** True for a release candidate, alpha, beta or pre-release build. */
  preRelease: boolean;
}

/** The version `text` names, or `undefined` when it is not a release version. */
export function parseVersion(text: string | undefined): Version | undefined {
  const match = VERSION.exec(text?.trim() ?? '');
  if (!match) return undefined;
  return {
    parts: [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)],
    preRelease: PRE_RELEASE.test(match[4] ?? ''),
  };
}

/**
 * Whether `version` is `minimum` (a release, as our gates are) or later; `undefined` when `version` is missing or not
 * a release version.
 */
export function isAtLeast(version: string | undefined, minimum: string): boolean | undefined {
  const floor = parseVersion(minimum);
  if (floor === undefined) throw new Error(`version gate ${minimum} is not a version`);
  const parsed = parseVersion(version);
  if (parsed === undefined) return undefined;
  const differing = parsed.parts.findIndex((part, index) => part !== floor.parts[index]);
  return differing === -1 ? !parsed.preRelease : parsed.parts[differing] > floor.parts[differing];
}

/**
 * The tag of a container image reference (`602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.19.2`
 * → `v1.19.2`); `undefined` when the reference has no tag (a bare name, or pinned by digest only).
 */
export function imageTag(image: string | undefined): string | undefined {
  const reference = (image ?? '').split('@')[0];
  const name = reference.slice(reference.lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  return colon === -1 ? undefined : name.slice(colon + 1) || undefined;
}

/** An engine's version as found in the cluster, and where it was read. */
export interface FoundVersion {
  /** The version text; absent when none could be read. */
  version?: string;
  /** Where it was read (`the aws-node image of kube-system/aws-node`), or why it could not be. */
  source: string;
  /** Who keeps the engine current when the cluster runs no version of its own (EKS Auto Mode): every gate is met. */
  managedBy?: string;
}

/** Whether a feature's version gate is met, not met, or cannot be told. */
export const GateState = { Met: 'met', Below: 'below', Unknown: 'unknown' } as const;
export type GateState = (typeof GateState)[keyof typeof GateState];

/** A version gate's state and the clause that says why. */
export interface GateReading {
  state: GateState;
  clause: string;
}

/** Whether `found` is `minimum` of `product` or later, for `feature` (`ApplicationNetworkPolicies`). */
export function versionGate(feature: string, product: string, minimum: string, found: FoundVersion): GateReading {
  if (found.managedBy !== undefined) return { state: GateState.Met, clause: `${found.managedBy} runs ${product} itself` };
  const needs = `${feature} came with ${product} ${minimum}`;
  const atLeast = isAtLeast(found.version, minimum);
  if (atLeast === true) return { state: GateState.Met, clause: `${product} ${found.version} (${found.source}) is ${minimum} or later` };
  if (atLeast === false) return { state: GateState.Below, clause: `${needs}, and ${found.source} is ${found.version}` };
  return { state: GateState.Unknown, clause: `${needs}, and its version cannot be told: ${found.source}` };
}
