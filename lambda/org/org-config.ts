/**
 * The organization-mode functions' configuration: the single-account configuration (`lambda/config.ts`, same
 * variables, same validation) plus what the fan-out needs — the member role every account carries, the optional
 * organizational units to audit, and where a run keeps its plan and results. Validated once at cold start.
 */
import { ConfigError, loadConfig, type AuditorConfig, ENV } from '../config.js';

/** Environment variables of organization mode, beside those of {@link ENV}. */
export const ORG_ENV = {
  memberRoleName: 'MEMBER_ROLE_NAME',
  organizationalUnits: 'ORGANIZATIONAL_UNITS',
  runsPrefix: 'RUNS_PREFIX',
  partition: 'AWS_PARTITION_NAME',
  /** `true`: the member role grants itself read access to each cluster before its audit. */
  selfEnrolment: 'MEMBER_SELF_ENROLMENT',
  /** The start function's state machine. */
  stateMachineArn: 'STATE_MACHINE_ARN',
} as const;

/** The member role's name when the deployment does not choose one. */
export const DEFAULT_MEMBER_ROLE_NAME = 'eks-netpol-auditor-member';

/** Where runs keep their plan and the Distributed Map's results: beside the findings, never under the Glue table. */
export const DEFAULT_RUNS_PREFIX = 'org-runs';

/** The configuration of the plan, audit and report functions. */
export interface OrgConfig extends AuditorConfig {
  /** Regions to audit in every account; empty: each account's enabled regions. */
  regions: string[];
  memberRoleName: string;
  /** Organizational units (or the root) whose accounts are audited, sub-units included; empty: every account. */
  organizationalUnits: string[];
  runsPrefix: string;
  /** The AWS partition of the member role ARNs (`aws`, `aws-cn`, `aws-us-gov`). */
  partition: string;
  /** The member role enrols itself in each cluster (access entry, AmazonEKSViewPolicy) before auditing it. */
  selfEnrolment: boolean;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const UNIT_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const PARTITION = /^aws(-[a-z]+)*$/;
const PREFIX = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** Reads and validates the configuration; throws {@link ConfigError} naming the first bad variable. */
export function loadOrgConfig(env: Record<string, string | undefined> = process.env): OrgConfig {
  const base = loadConfig(env);
  const memberRoleName = env[ORG_ENV.memberRoleName]?.trim() || DEFAULT_MEMBER_ROLE_NAME;
  if (!ROLE_NAME.test(memberRoleName)) {
    throw new ConfigError(`${ORG_ENV.memberRoleName} is "${memberRoleName}", which is not an IAM role name`);
  }
  const organizationalUnits = (env[ORG_ENV.organizationalUnits] ?? '').split(',').map((unit) => unit.trim()).filter(Boolean);
  const badUnit = organizationalUnits.find((unit) => !UNIT_ID.test(unit));
  if (badUnit !== undefined) {
    throw new ConfigError(`${ORG_ENV.organizationalUnits} has "${badUnit}", which is not an organizational unit or root id`);
  }
  const runsPrefix = env[ORG_ENV.runsPrefix]?.trim() || DEFAULT_RUNS_PREFIX;
  if (!PREFIX.test(runsPrefix) || runsPrefix === base.prefix) {
    throw new ConfigError(`${ORG_ENV.runsPrefix} is "${runsPrefix}": expected an S3 key prefix other than the findings prefix`);
  }
  const partition = env[ORG_ENV.partition]?.trim() || 'aws';
  if (!PARTITION.test(partition)) throw new ConfigError(`${ORG_ENV.partition} is "${partition}", which is not an AWS partition`);
  const selfEnrolment = env[ORG_ENV.selfEnrolment]?.trim() || 'false';
  if (selfEnrolment !== 'true' && selfEnrolment !== 'false') {
    throw new ConfigError(`${ORG_ENV.selfEnrolment} is "${selfEnrolment}"; expected true or false`);
  }
  return {
    ...base,
    // loadConfig falls back on the function's own region; an organization audits each account's enabled ones instead.
    regions: env[ENV.regions]?.trim() ? base.regions : [],
    memberRoleName,
    organizationalUnits,
    runsPrefix,
    partition,
    selfEnrolment: selfEnrolment === 'true',
  };
}

/** The member role of `account`: the role the hub assumes there. */
export function memberRoleArn(config: Pick<OrgConfig, 'partition' | 'memberRoleName'>, account: string): string {
  return `arn:${config.partition}:iam::${account}:role/${config.memberRoleName}`;
}
