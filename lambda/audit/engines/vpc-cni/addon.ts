/**
 * The EKS `vpc-cni` add-on: what its `configurationValues` (a JSON or YAML string) says about `enableNetworkPolicy`,
 * and what that alone can decide when the in-cluster objects were not read.
 */
import { parse } from 'yaml';
import type { ClusterSnapshot, EksAddon } from '../../snapshot.js';
import type { EngineState } from '../rule.js';
import { isAtLeast } from '../versions.js';

/** The first vpc-cni add-on version that ships the network policy agent. */
const MIN_ADDON_VERSION = 'v1.14.0';

/** What the vpc-cni add-on's configuration says. */
export interface AddonReading {
  version?: string;
  /** `enableNetworkPolicy` as configured (`undefined` when not set). */
  flag?: unknown;
  /** Whether `enableNetworkPolicy` is `"true"` or `true`. */
  enabled: boolean;
  /** `env.NETWORK_POLICY_ENFORCING_MODE` (standard/strict), when set. */
  enforcingMode?: string;
  /** Why `configurationValues` could not be read. */
  parseError?: string;
}

/** The vpc-cni add-on's reading; `undefined` when add-ons were not read or the cluster has no vpc-cni add-on. */
export function readVpcCniAddon(snapshot: ClusterSnapshot): AddonReading | undefined {
  const addon = snapshot.addons?.find((candidate) => candidate.addonName === 'vpc-cni');
  if (!addon) return undefined;
  const values = parseConfigurationValues(addon);
  if (typeof values === 'string') return { version: addon.addonVersion, enabled: false, parseError: values };
  const flag = values.enableNetworkPolicy;
  const env = values.env;
  const mode = typeof env === 'object' && env !== null ? (env as Record<string, unknown>).NETWORK_POLICY_ENFORCING_MODE : undefined;
  return {
    version: addon.addonVersion,
    flag,
    enabled: flag === true || flag === 'true',
    ...(typeof mode === 'string' ? { enforcingMode: mode } : {}),
  };
}

/** The add-on's configuration as an object, or why it cannot be read. The `yaml` parser reads JSON as well. */
function parseConfigurationValues(addon: EksAddon): Record<string, unknown> | string {
  const text = addon.configurationValues ?? '';
  let values: unknown;
  try {
    values = parse(text);
  } catch (error) {
    // The parser's message continues with an excerpt of the input; its first line says what and where.
    const firstLine = (error instanceof Error ? error.message : String(error)).split('\n')[0].replace(/:$/, '');
    return `the vpc-cni add-on's configurationValues cannot be parsed as JSON or YAML: ${firstLine}`;
  }
  if (values === null || values === undefined) return {};
  if (typeof values !== 'object' || Array.isArray(values)) {
    return "the vpc-cni add-on's configurationValues is not a JSON or YAML object";
  }
  return values as Record<string, unknown>;
}

/**
 * What the add-on configuration alone decides: enforcing only when `enableNetworkPolicy` is on and the version is
 * v1.14.0 or later; unknown when there is no add-on, its configuration is unreadable or its version is not comparable.
 */
export function addonDecision(addon: AddonReading | undefined): { state: EngineState; detail: string } {
  if (!addon) return { state: 'unknown', detail: 'there is no vpc-cni EKS add-on configuration to decide from' };
  if (addon.parseError) return { state: 'unknown', detail: addon.parseError };
  const named = `the vpc-cni add-on${addon.version ? ` ${addon.version}` : ''}`;
  if (!addon.enabled) return { state: 'not-enforcing', detail: `${named} ${addonFlagPhrase(addon)}` };
  const supported = supportsNetworkPolicy(addon.version);
  if (supported === undefined) {
    return {
      state: 'unknown',
      detail: `${named} ${addonFlagPhrase(addon)} but its version cannot be compared with ${MIN_ADDON_VERSION}`,
    };
  }
  if (!supported) {
    return {
      state: 'not-enforcing',
      detail: `${named} ${addonFlagPhrase(addon)} but network policy needs ${MIN_ADDON_VERSION} or later`,
    };
  }
  return { state: 'enforcing', detail: `${named} ${addonFlagPhrase(addon)}` };
}

/** "has enableNetworkPolicy true" or "does not set enableNetworkPolicy", for sentences about the add-on. */
export function addonFlagPhrase(addon: AddonReading): string {
  return addon.flag === undefined
    ? 'does not set enableNetworkPolicy'
    : `has enableNetworkPolicy ${String(addon.flag)}`;
}

/** Whether the add-on `version` ships the network policy agent; `undefined` when it is missing or malformed. */
export function supportsNetworkPolicy(version: string | undefined): boolean | undefined {
  return isAtLeast(version, MIN_ADDON_VERSION);
}

/** The add-on's version, flag and configuration error for evidence; empty without an add-on. */
export function addonEvidence(addon: AddonReading | undefined): Record<string, unknown> {
  if (!addon) return {};
  return {
    addon_version: addon.version,
    addon_enable_network_policy: addon.flag,
    addon_configuration_error: addon.parseError,
  };
}
