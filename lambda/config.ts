/**
 * The Lambda's configuration, read from environment variables that the stack sets. Validated once at cold start:
 * a wrong value stops the function with a message naming the variable, rather than producing wrong verdicts.
 */
import { ATHENA_NAMES, GLUE_DATABASE_NAME, WORKGROUP_NAME, type AthenaNames } from './report/athena.js';
import { DEFAULT_EXCLUDED_NAMESPACES, SEVERITY_ORDER, type Severity } from './audit/finding.js';
import { DEFAULT_MAX_BODY_MIB, MAX_BODY_MIB_EXPECTED, mebibytes, parseMaxBodyMib } from './collect/body-limit.js';
import { DEFAULT_CLUSTER_TIMEOUT_MS, RUN_MARGIN_MS } from './live/deadline.js';
import { isRegionName } from './names.js';
import { AlertOn } from './report/alert.js';
import { FINDINGS_PREFIX } from './report/store-layout.js';

/** Environment variable names: the contract between the stack (lib/) and the handler. */
export const ENV = {
  bucket: 'FINDINGS_BUCKET',
  prefix: 'FINDINGS_PREFIX',
  topicArn: 'ALERT_TOPIC_ARN',
  regions: 'AUDIT_REGIONS',
  include: 'CLUSTER_INCLUDE',
  exclude: 'CLUSTER_EXCLUDE',
  excludedNamespaces: 'EXCLUDED_NAMESPACES',
  alertThreshold: 'ALERT_THRESHOLD',
  concurrency: 'AUDIT_CONCURRENCY',
  roleArn: 'AUDITOR_ROLE_ARN',
  clusterTimeout: 'CLUSTER_TIMEOUT_SECONDS',
  alertOn: 'ALERT_ON',
  suppressionsFile: 'SUPPRESSIONS_FILE',
  suppressionsKey: 'SUPPRESSIONS_KEY',
  securityHub: 'SECURITY_HUB',
  maxBodyMib: 'MAX_BODY_MIB',
  /** The timeout of the function that audits the clusters, which the per-cluster deadline must fit within. */
  functionTimeout: 'FUNCTION_TIMEOUT_SECONDS',
  /** The deployment's Glue database and Athena workgroup, named in the alert's ready query. */
  athenaDatabase: 'ATHENA_DATABASE',
  athenaWorkGroup: 'ATHENA_WORKGROUP',
} as const;

export interface AuditorConfig {
  bucket: string;
  prefix: string;
  /** No topic: findings are stored, no alert is sent. */
  topicArn?: string;
  /** Regions to audit; empty means the function's own region (AWS_REGION). */
  regions: string[];
  /** Glob patterns (`*` wildcard) on cluster names; empty include means all. */
  include: string[];
  exclude: string[];
  excludedNamespaces: string[];
  alertThreshold: Severity;
  concurrency: number;
  /** The function's own role, named in the access-entry remediation of a 401 instead of a placeholder. */
  roleArn?: string;
  /** How long one cluster's audit may take before it is abandoned as UNKNOWN. */
  clusterTimeoutMs: number;
  /** Which failures the alert lists in full (default `new`). */
  alertOn: AlertOn;
  /** The suppressions file deployed with the function (a path in its package). */
  suppressionsFile?: string;
  /** A suppressions object in the findings bucket, read again at every run (changed without a deploy). */
  suppressionsKey?: string;
  /** Import every run's findings into Security Hub (BatchImportFindings). */
  securityHub: boolean;
  /** The largest Kubernetes API answer read; a larger one makes its kind UNKNOWN naming the limit. */
  maxBodyBytes: number;
  /** Where the alert's ready query runs: the deployment's database, table and workgroup. */
  athena: AthenaNames;
}

/** A configuration value that cannot be used; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

const CLUSTER_PATTERN = /^[A-Za-z0-9*?][A-Za-z0-9_*?-]*$/;

/** Reads and validates the configuration from `env`; throws {@link ConfigError} naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AuditorConfig {
  const bucket = env[ENV.bucket]?.trim();
  if (!bucket) throw new ConfigError(`${ENV.bucket} is not set: the function needs the findings bucket name`);

  const regions = list(env[ENV.regions]);
  const badRegion = regions.find((region) => !isRegionName(region));
  if (badRegion) throw new ConfigError(`${ENV.regions} has "${badRegion}", which is not an AWS region name`);
  if (regions.length === 0 && !env.AWS_REGION) {
    throw new ConfigError(`${ENV.regions} is empty and AWS_REGION is not set: no region to audit`);
  }

  const include = list(env[ENV.include]);
  const exclude = list(env[ENV.exclude]);
  for (const [name, patterns] of [[ENV.include, include], [ENV.exclude, exclude]] as const) {
    const bad = patterns.find((pattern) => !CLUSTER_PATTERN.test(pattern));
    if (bad) throw new ConfigError(`${name} has "${bad}", which is not a cluster name pattern (letters, digits, -, _, * and ?)`);
  }

  const threshold = env[ENV.alertThreshold]?.trim() || 'Medium';
  if (!(SEVERITY_ORDER as readonly string[]).includes(threshold)) {
    throw new ConfigError(`${ENV.alertThreshold} is "${threshold}"; expected one of ${SEVERITY_ORDER.join(', ')}`);
  }

  const concurrencyText = env[ENV.concurrency]?.trim() || '4';
  const concurrency = Number(concurrencyText);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) {
    throw new ConfigError(`${ENV.concurrency} is "${concurrencyText}"; expected a whole number from 1 to 32`);
  }

  const topicArn = env[ENV.topicArn]?.trim() || undefined;
  if (topicArn && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/.test(topicArn)) {
    throw new ConfigError(`${ENV.topicArn} is "${topicArn}", which is not an SNS topic ARN`);
  }

  const roleArn = env[ENV.roleArn]?.trim() || undefined;
  if (roleArn && !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(roleArn)) {
    throw new ConfigError(`${ENV.roleArn} is "${roleArn}", which is not an IAM role ARN`);
  }

  const clusterTimeoutText = env[ENV.clusterTimeout]?.trim() || String(DEFAULT_CLUSTER_TIMEOUT_MS / 1000);
  const clusterTimeout = Number(clusterTimeoutText);
  if (!Number.isInteger(clusterTimeout) || clusterTimeout < 1 || clusterTimeout > 900) {
    throw new ConfigError(`${ENV.clusterTimeout} is "${clusterTimeoutText}"; expected a whole number of seconds from 1 to 900`);
  }
  checkClusterTimeoutFits(clusterTimeout, env[ENV.functionTimeout]);
  const alertOn = env[ENV.alertOn]?.trim() || AlertOn.New;
  if (!(Object.values(AlertOn) as string[]).includes(alertOn)) {
    throw new ConfigError(`${ENV.alertOn} is "${alertOn}"; expected one of ${Object.values(AlertOn).join(', ')}`);
  }
  const suppressionsKey = env[ENV.suppressionsKey]?.trim() || undefined;
  if (suppressionsKey?.startsWith('/')) throw new ConfigError(`${ENV.suppressionsKey} is "${suppressionsKey}": an object key has no leading /`);

  const securityHub = env[ENV.securityHub]?.trim() || 'false';
  if (securityHub !== 'true' && securityHub !== 'false') {
    throw new ConfigError(`${ENV.securityHub} is "${securityHub}"; expected true or false`);
  }

  const maxBodyText = env[ENV.maxBodyMib]?.trim() || String(DEFAULT_MAX_BODY_MIB);
  const maxBodyMib = parseMaxBodyMib(maxBodyText);
  if (maxBodyMib === undefined) throw new ConfigError(`${ENV.maxBodyMib} is "${maxBodyText}"; expected ${MAX_BODY_MIB_EXPECTED}`);

  const database = env[ENV.athenaDatabase]?.trim() || ATHENA_NAMES.database;
  if (!GLUE_DATABASE_NAME.test(database)) {
    throw new ConfigError(`${ENV.athenaDatabase} is "${database}"; expected a Glue database name (lower-case letters, digits and _)`);
  }
  const workgroup = env[ENV.athenaWorkGroup]?.trim() || ATHENA_NAMES.workgroup;
  if (!WORKGROUP_NAME.test(workgroup)) {
    throw new ConfigError(`${ENV.athenaWorkGroup} is "${workgroup}"; expected an Athena workgroup name (letters, digits, . _ and -)`);
  }

  const excluded = env[ENV.excludedNamespaces];
  return {
    bucket,
    prefix: env[ENV.prefix]?.trim() || FINDINGS_PREFIX,
    topicArn,
    regions: regions.length > 0 ? regions : [env.AWS_REGION as string],
    include,
    exclude,
    // Unset means the defaults; set to an empty string means strict CIS (no exclusions).
    excludedNamespaces: excluded === undefined ? [...DEFAULT_EXCLUDED_NAMESPACES] : list(excluded),
    alertThreshold: threshold as Severity,
    concurrency,
    roleArn,
    clusterTimeoutMs: clusterTimeout * 1000,
    alertOn: alertOn as AlertOn,
    suppressionsFile: env[ENV.suppressionsFile]?.trim() || undefined,
    suppressionsKey,
    securityHub: securityHub === 'true',
    maxBodyBytes: mebibytes(maxBodyMib),
    athena: { database, table: ATHENA_NAMES.table, workgroup },
  };
}

/**
 * A cluster's deadline must end before the function's timeout less the run's margin: otherwise Lambda stops a run
 * whose slow cluster is still within its deadline, and every cluster not yet stored loses its findings. Unset (a
 * test, a direct call) is not checked: the run then has no timeout of its own.
 */
function checkClusterTimeoutFits(clusterTimeoutSeconds: number, functionTimeoutText: string | undefined): void {
  if (!functionTimeoutText?.trim()) return;
  const functionTimeout = Number(functionTimeoutText);
  if (!Number.isInteger(functionTimeout) || functionTimeout < 1 || functionTimeout > 900) {
    throw new ConfigError(`${ENV.functionTimeout} is "${functionTimeoutText}"; expected a whole number of seconds from 1 to 900`);
  }
  const longest = functionTimeout - RUN_MARGIN_MS / 1000 - 1;
  if (clusterTimeoutSeconds > longest) {
    throw new ConfigError(
      `${ENV.clusterTimeout} is "${clusterTimeoutSeconds}": it must be below the function timeout (${functionTimeout} s) less the ${RUN_MARGIN_MS / 1000} s kept to store and alert; expected at most ${Math.max(0, longest)}, or a longer timeout`,
    );
  }
}
