/**
 * The deployment's settings, read from CDK context (cdk.json, overridable with `-c key=value`) and validated before
 * any construct is built. A bad value stops synth with one line naming the context key; values the function itself
 * reads are also run through the handler's own `loadConfig`, so the stack never deploys a configuration the
 * function would reject at cold start.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, ENV, loadConfig } from '../lambda/config.js';
import { DEFAULT_MEMBER_ROLE_NAME, ORG_ENV, loadOrgConfig } from '../lambda/org/org-config.js';
import { InputError, readFailure } from '../lambda/collect/offline.js';
import { parseSuppressions } from '../lambda/lifecycle/suppressions.js';
import { AlertOn } from '../lambda/report/alert.js';
import { DEFAULT_EXCLUDED_NAMESPACES, type Severity } from '../lambda/audit/finding.js';
import { DEFAULT_MAX_BODY_MIB, MAX_BODY_MIB_RANGE } from '../lambda/collect/body-limit.js';
import { DEFAULT_CLUSTER_TIMEOUT_MS } from '../lambda/live/deadline.js';
import { CLUSTER_NAME } from '../lambda/names.js';
import { auditorEnvironment, organizationEnvironment } from './auditor-environment.js';
import { ScheduleError, scheduleIntervalMinutes } from './schedule-interval.js';
import { stalenessWindow, type StalenessWindow } from './staleness-window.js';

/** The context keys this app reads; cdk.json documents each with its default. */
export const CONTEXT_KEYS = {
  schedule: 'schedule',
  alertEmails: 'alertEmails',
  regions: 'regions',
  clusterInclude: 'clusterInclude',
  clusterExclude: 'clusterExclude',
  grantClusters: 'grantClusters',
  excludedNamespaces: 'excludedNamespaces',
  alertThreshold: 'alertThreshold',
  auditConcurrency: 'auditConcurrency',
  clusterTimeout: 'clusterTimeout',
  retentionDays: 'retentionDays',
  memorySize: 'memorySize',
  timeout: 'timeout',
  vpcId: 'vpcId',
  subnetIds: 'subnetIds',
  securityGroupIds: 'securityGroupIds',
  mode: 'mode',
  memberRoleName: 'memberRoleName',
  organizationId: 'organizationId',
  organizationalUnits: 'organizationalUnits',
  memberRoleTargets: 'memberRoleTargets',
  stackSetCallAs: 'stackSetCallAs',
  mapConcurrency: 'mapConcurrency',
  clustersPerBatch: 'clustersPerBatch',
  alertOn: 'alertOn',
  suppressionsFile: 'suppressionsFile',
  suppressionsKey: 'suppressionsKey',
  securityHub: 'securityHub',
  memberSelfEnrolment: 'memberSelfEnrolment',
  maxBodyMib: 'maxBodyMib',
  memberRoleInHub: 'memberRoleInHub',
  stackName: 'stackName',
  glueDatabase: 'glueDatabase',
  athenaWorkGroup: 'athenaWorkGroup',
} as const;
/** One of the context keys of {@link CONTEXT_KEYS}. */
export type ContextKey = (typeof CONTEXT_KEYS)[keyof typeof CONTEXT_KEYS];

/** Defaults for keys absent from the context (cdk.json repeats them so they are visible to the user). */
const DEFAULTS = {
  schedule: 'rate(1 day)',
  alertThreshold: 'Medium',
  auditConcurrency: 4,
  clusterTimeoutSeconds: DEFAULT_CLUSTER_TIMEOUT_MS / 1000,
  retentionDays: 365,
  // Chosen before the benchmark figures exist; docs/deploy.md explains the choice and marks it for an update.
  memorySize: 1536,
  timeoutSeconds: 600,
  mapConcurrency: 40,
  clustersPerBatch: 4,
  suppressionsFile: 'suppressions.yaml',
} as const;

/** How the auditor is deployed: one account's clusters (the default), or every account of an AWS Organization. */
export const DeploymentMode = { Account: 'account', Organization: 'organization' } as const;
/** One of the modes of {@link DeploymentMode}. */
export type DeploymentMode = (typeof DeploymentMode)[keyof typeof DeploymentMode];

/** Who creates the member-role StackSet: the management account itself, or a delegated administrator. */
export const StackSetCallAs = { Self: 'SELF', DelegatedAdmin: 'DELEGATED_ADMIN' } as const;
/** One of the values of {@link StackSetCallAs}. */
export type StackSetCallAs = (typeof StackSetCallAs)[keyof typeof StackSetCallAs];

/** Organization mode (`-c mode=organization`): the member role, which accounts, and how wide the fan-out is. */
export interface OrganizationSettings {
  memberRoleName: string;
  /** When set, the hub may assume member roles only in this organization's accounts. */
  organizationId?: string;
  /** Organizational units (or the root) whose accounts are audited; empty: every account. */
  organizationalUnits: string[];
  /** Where the StackSet deploys the member role (root or OU ids); new accounts there get it automatically. */
  memberRoleTargets: string[];
  stackSetCallAs: StackSetCallAs;
  /** Child executions of the Distributed Map at once. */
  mapConcurrency: number;
  /** Clusters per child execution (one Lambda invocation). */
  clustersPerBatch: number;
  /** The member role may enrol itself in each cluster (access entry with AmazonEKSViewPolicy only) before its audit. */
  memberSelfEnrolment: boolean;
  /** The hub stack creates the member role in its own account too, which the StackSet never deploys to when it is the management account. */
  memberRoleInHub: boolean;
}

/**
 * The names a deployment gives what must be unique in an account and region, so that two deployments (a test and a
 * production stack, or the single-account and the organization stack in a management account) live side by side.
 * Everything else is named by CloudFormation after the stack. By default all derive from the stack name.
 */
export interface DeploymentNames {
  stackName: string;
  glueDatabase: string;
  athenaWorkGroup: string;
  /** Powertools' service name: the `service` dimension of the functions' metrics, which the stack's alarms watch. */
  serviceName: string;
}

/** What the function audits and when it alerts: everything the handler reads besides the stack's own resources. */
export interface AuditScope {
  names: DeploymentNames;
  clusterInclude: string[];
  clusterExclude: string[];
  excludedNamespaces: string[];
  alertThreshold: Severity;
  auditConcurrency: number;
  /** How long one cluster's audit may take before it is UNKNOWN "not finished within …". */
  clusterTimeoutSeconds: number;
  alertOn: AlertOn;
  /** The suppressions file deployed with the function (validated at synth), when one is configured. */
  suppressionsFile?: string;
  /** A suppressions object in the findings bucket the function reads at every run. */
  suppressionsKey?: string;
  /** Import every run's findings into Security Hub. */
  securityHub: boolean;
  /** The largest Kubernetes API answer read, in MiB. */
  maxBodyMib: number;
  /** The timeout of the function that audits the clusters, in seconds (each cluster's deadline must fit within it). */
  timeoutSeconds: number;
}

/** Subnets and security groups for a function that must reach private-endpoint clusters. */
export interface PrivateNetwork {
  vpcId: string;
  subnetIds: string[];
  securityGroupIds: string[];
}

/** Every validated setting of one deployment. */
export interface AuditorSettings extends AuditScope {
  schedule: string;
  staleness: StalenessWindow;
  alertEmails: string[];
  /** Empty: the stack's own region. */
  regions: string[];
  grantClusters: string[];
  retentionDays: number;
  memorySize: number;
  network?: PrivateNetwork;
  /** Present in organization mode only. */
  organization?: OrganizationSettings;
}

/** A context value that cannot be used; the message starts with `context <key>:`. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/** Reads a context value by key (e.g. `(key) => app.node.tryGetContext(key)`). */
export type ContextReader = (key: ContextKey) => unknown;

const EMAIL = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const UNIT_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

/** Which context key feeds each environment variable that `loadConfig` validates. */
const CONTEXT_OF_VARIABLE: ReadonlyArray<readonly [string, ContextKey]> = [
  [ENV.regions, CONTEXT_KEYS.regions],
  [ENV.include, CONTEXT_KEYS.clusterInclude],
  [ENV.exclude, CONTEXT_KEYS.clusterExclude],
  [ENV.excludedNamespaces, CONTEXT_KEYS.excludedNamespaces],
  [ENV.alertThreshold, CONTEXT_KEYS.alertThreshold],
  [ENV.concurrency, CONTEXT_KEYS.auditConcurrency],
  [ENV.clusterTimeout, CONTEXT_KEYS.clusterTimeout],
  [ORG_ENV.memberRoleName, CONTEXT_KEYS.memberRoleName],
  [ENV.alertOn, CONTEXT_KEYS.alertOn],
  [ENV.suppressionsKey, CONTEXT_KEYS.suppressionsKey],
  [ENV.maxBodyMib, CONTEXT_KEYS.maxBodyMib],
  [ENV.athenaDatabase, CONTEXT_KEYS.glueDatabase],
  [ENV.athenaWorkGroup, CONTEXT_KEYS.athenaWorkGroup],
];

/** Reads and validates every setting; throws {@link SettingsError} naming the first bad context key. */
export function readSettings(context: ContextReader): AuditorSettings {
  const schedule = text(context, CONTEXT_KEYS.schedule) ?? DEFAULTS.schedule;
  const mode = organizationSettings(context);
  const settings: AuditorSettings = {
    names: deploymentNames(context, mode.organization ? DEFAULT_STACK_NAMES.organization : DEFAULT_STACK_NAMES.account),
    schedule,
    staleness: scheduleStaleness(schedule),
    alertEmails: matching(context, CONTEXT_KEYS.alertEmails, EMAIL, 'an e-mail address'),
    regions: list(context, CONTEXT_KEYS.regions),
    clusterInclude: list(context, CONTEXT_KEYS.clusterInclude),
    clusterExclude: list(context, CONTEXT_KEYS.clusterExclude),
    grantClusters: matching(context, CONTEXT_KEYS.grantClusters, CLUSTER_NAME, 'an EKS cluster name'),
    excludedNamespaces: list(context, CONTEXT_KEYS.excludedNamespaces, DEFAULT_EXCLUDED_NAMESPACES),
    alertThreshold: (text(context, CONTEXT_KEYS.alertThreshold) ?? DEFAULTS.alertThreshold) as Severity,
    auditConcurrency: wholeNumber(context, CONTEXT_KEYS.auditConcurrency, DEFAULTS.auditConcurrency, 1),
    clusterTimeoutSeconds: wholeNumber(context, CONTEXT_KEYS.clusterTimeout, DEFAULTS.clusterTimeoutSeconds, 1),
    retentionDays: wholeNumber(context, CONTEXT_KEYS.retentionDays, DEFAULTS.retentionDays, 1),
    memorySize: wholeNumber(context, CONTEXT_KEYS.memorySize, DEFAULTS.memorySize, 128, 10240),
    timeoutSeconds: wholeNumber(context, CONTEXT_KEYS.timeout, DEFAULTS.timeoutSeconds, 1, 900),
    network: privateNetwork(context),
    ...mode,
    alertOn: (text(context, CONTEXT_KEYS.alertOn) ?? AlertOn.New) as AlertOn,
    ...suppressionSources(context),
    securityHub: flag(context, CONTEXT_KEYS.securityHub),
    maxBodyMib: wholeNumber(context, CONTEXT_KEYS.maxBodyMib, DEFAULT_MAX_BODY_MIB, MAX_BODY_MIB_RANGE.min, MAX_BODY_MIB_RANGE.max),
  };
  checkWithHandler(settings);
  return settings;
}

function organizationSettings(context: ContextReader): { organization?: OrganizationSettings } {
  const mode = text(context, CONTEXT_KEYS.mode) ?? DeploymentMode.Account;
  if (mode === DeploymentMode.Account) return {};
  if (mode !== DeploymentMode.Organization) {
    throw new SettingsError(`context ${CONTEXT_KEYS.mode}: '${mode}' is not one of ${Object.values(DeploymentMode).join(', ')}`);
  }
  const organizationalUnits = matching(context, CONTEXT_KEYS.organizationalUnits, UNIT_ID, 'an organizational unit or root id');
  const targets = matching(context, CONTEXT_KEYS.memberRoleTargets, UNIT_ID, 'an organizational unit or root id');
  const memberRoleTargets = targets.length > 0 ? targets : organizationalUnits;
  if (memberRoleTargets.length === 0) {
    throw new SettingsError(
      `context ${CONTEXT_KEYS.memberRoleTargets}: organization mode needs the root id (r-…, from 'aws organizations list-roots') ` +
        'or the organizational units where the StackSet deploys the member role',
    );
  }
  const organizationId = text(context, CONTEXT_KEYS.organizationId);
  if (organizationId !== undefined && !ORGANIZATION_ID.test(organizationId)) {
    throw new SettingsError(`context ${CONTEXT_KEYS.organizationId}: '${organizationId}' is not an organization id (o-…)`);
  }
  const callAs = text(context, CONTEXT_KEYS.stackSetCallAs) ?? StackSetCallAs.Self;
  if (!(Object.values(StackSetCallAs) as string[]).includes(callAs)) {
    throw new SettingsError(`context ${CONTEXT_KEYS.stackSetCallAs}: '${callAs}' is not one of ${Object.values(StackSetCallAs).join(', ')}`);
  }
  return {
    organization: {
      memberRoleName: text(context, CONTEXT_KEYS.memberRoleName) ?? DEFAULT_MEMBER_ROLE_NAME,
      ...(organizationId ? { organizationId } : {}),
      organizationalUnits,
      memberRoleTargets,
      stackSetCallAs: callAs as StackSetCallAs,
      // Step Functions runs at most 10,000 child executions of a Distributed Map at once.
      mapConcurrency: wholeNumber(context, CONTEXT_KEYS.mapConcurrency, DEFAULTS.mapConcurrency, 1, 10_000),
      clustersPerBatch: wholeNumber(context, CONTEXT_KEYS.clustersPerBatch, DEFAULTS.clustersPerBatch, 1, 32),
      memberSelfEnrolment: flag(context, CONTEXT_KEYS.memberSelfEnrolment),
      memberRoleInHub: flag(context, CONTEXT_KEYS.memberRoleInHub),
    },
  };
}

/** The stack's name when the context does not give one: one per mode, so switching modes never replaces a stack. */
export const DEFAULT_STACK_NAMES = { account: 'EksNetpolAuditor', organization: 'EksNetpolAuditorOrganization' } as const;

/** A CloudFormation stack name. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/**
 * The stack name (context, else the mode's default) and the names derived from it unless given: `EksNetpolAuditor`
 * gives the database `eks_netpol_auditor`, the workgroup and the service `eks-netpol-auditor`.
 */
function deploymentNames(context: ContextReader, defaultStackName: string): DeploymentNames {
  const stackName = text(context, CONTEXT_KEYS.stackName) ?? defaultStackName;
  if (!STACK_NAME.test(stackName)) {
    throw new SettingsError(`context ${CONTEXT_KEYS.stackName}: '${stackName}' is not a stack name (a letter, then letters, digits and -, at most 128)`);
  }
  const words = stackName.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  return {
    stackName,
    glueDatabase: text(context, CONTEXT_KEYS.glueDatabase) ?? words.join('_'),
    athenaWorkGroup: text(context, CONTEXT_KEYS.athenaWorkGroup) ?? words.join('-'),
    serviceName: words.join('-'),
  };
}

function scheduleStaleness(schedule: string): StalenessWindow {
  try {
    return stalenessWindow(scheduleIntervalMinutes(schedule));
  } catch (error) {
    if (error instanceof ScheduleError) throw new SettingsError(`context ${CONTEXT_KEYS.schedule}: ${error.message}`);
    throw error;
  }
}

/** Runs the handler's own validation over the environment the stack will set, blaming the context key behind it. */
function checkWithHandler(settings: AuditorSettings): void {
  const targets = { bucketName: 'findings', topicArn: '', regions: settings.regions };
  try {
    // AWS_REGION stands in for the stack's region, which the function gets from Lambda when no region is listed.
    if (settings.organization) {
      loadOrgConfig({ ...organizationEnvironment(settings, settings.organization, targets), AWS_REGION: 'us-east-1' });
    } else {
      loadConfig({ ...auditorEnvironment(settings, targets), AWS_REGION: 'us-east-1' });
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const blamed = CONTEXT_OF_VARIABLE.find(([variable]) => error.message.startsWith(variable));
    throw new SettingsError(blamed ? `context ${blamed[1]}: ${error.message}` : error.message);
  }
}

/**
 * The suppressions file (a path relative to cdk.json, where `cdk` runs), parsed now so that an entry without reason or
 * expiry stops synth naming it instead of being deployed, and the optional bucket object.
 */
function suppressionSources(context: ContextReader): Pick<AuditScope, 'suppressionsFile' | 'suppressionsKey'> {
  // Absent: the default file beside cdk.json; "" (cdk.json's way of saying "not set"): none.
  const given = context(CONTEXT_KEYS.suppressionsFile);
  const file = given === undefined || given === null ? DEFAULTS.suppressionsFile : text(context, CONTEXT_KEYS.suppressionsFile);
  const key = text(context, CONTEXT_KEYS.suppressionsKey);
  if (file !== undefined) {
    const path = resolve(file);
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch (error) {
      throw new SettingsError(`context ${CONTEXT_KEYS.suppressionsFile}: ${file}: ${readFailure(error)}`);
    }
    try {
      parseSuppressions(file, content);
    } catch (error) {
      if (error instanceof InputError) throw new SettingsError(`context ${CONTEXT_KEYS.suppressionsFile}: ${error.message}`);
      throw error;
    }
  }
  return { ...(file !== undefined ? { suppressionsFile: resolve(file) } : {}), ...(key !== undefined ? { suppressionsKey: key } : {}) };
}

function privateNetwork(context: ContextReader): PrivateNetwork | undefined {
  const vpcId = text(context, CONTEXT_KEYS.vpcId);
  const subnetIds = matching(context, CONTEXT_KEYS.subnetIds, SUBNET_ID, 'a subnet id');
  const securityGroupIds = matching(context, CONTEXT_KEYS.securityGroupIds, SECURITY_GROUP_ID, 'a security group id');
  if (vpcId === undefined && subnetIds.length === 0 && securityGroupIds.length === 0) return undefined;
  if (vpcId === undefined) {
    throw new SettingsError(`context ${CONTEXT_KEYS.vpcId}: required when subnetIds or securityGroupIds is set`);
  }
  if (!VPC_ID.test(vpcId)) throw new SettingsError(`context ${CONTEXT_KEYS.vpcId}: '${vpcId}' is not a VPC id`);
  if (subnetIds.length === 0) {
    throw new SettingsError(`context ${CONTEXT_KEYS.subnetIds}: required when vpcId is set (the function's subnets)`);
  }
  return { vpcId, subnetIds, securityGroupIds };
}

/** A non-empty string value, or undefined when absent or blank (cdk.json uses "" for "not set"). */
/** A true/false setting (`-c key=true` or a JSON boolean); absent or "" is false. */
function flag(context: ContextReader, key: ContextKey): boolean {
  const value = context(key);
  if (value === undefined || value === null || value === '' || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new SettingsError(`context ${key}: expected true or false, got ${JSON.stringify(value)}`);
}

function text(context: ContextReader, key: ContextKey): string | undefined {
  const value = context(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SettingsError(`context ${key}: expected a string, got ${JSON.stringify(value)}`);
  return value.trim() || undefined;
}

/**
 * A list given as a JSON array (cdk.json) or a comma-separated string (`-c key=a,b`). Absent means `fallback`;
 * present but empty means an empty list, which is how `excludedNamespaces` asks for strict CIS.
 */
function list(context: ContextReader, key: ContextKey, fallback: readonly string[] = []): string[] {
  const value = context(key);
  if (value === undefined || value === null) return [...fallback];
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!items || items.some((item) => typeof item !== 'string')) {
    throw new SettingsError(`context ${key}: expected a comma-separated string or a list of strings`);
  }
  return (items as string[]).map((item) => item.trim()).filter((item) => item.length > 0);
}

function matching(context: ContextReader, key: ContextKey, pattern: RegExp, what: string): string[] {
  const items = list(context, key);
  const bad = items.find((item) => !pattern.test(item));
  if (bad !== undefined) throw new SettingsError(`context ${key}: '${bad}' is not ${what}`);
  return items;
}

function wholeNumber(
  context: ContextReader,
  key: ContextKey,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = context(key);
  if (value === undefined || value === null || value === '') return fallback;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    throw new SettingsError(`context ${key}: '${String(value)}' is not a whole number ${range}`);
  }
  return number;
}
