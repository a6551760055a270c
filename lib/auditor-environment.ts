/**
 * The function's environment: the contract with the handler (lambda/config.ts `ENV`) plus Powertools' variables.
 * One builder serves both the function and the synth-time validation, so what is validated is what is deployed.
 */
import { ENV } from '../lambda/config.js';
import { DEFAULT_RUNS_PREFIX, ORG_ENV } from '../lambda/org/org-config.js';
import { FINDINGS_PREFIX } from '../lambda/report/store-layout.js';
import type { AuditScope, OrganizationSettings } from './settings.js';
import { TELEMETRY } from './telemetry.js';

/** Where the function writes and whom it tells: resource names known only once the stack creates them. */
export interface AuditorTargets {
  bucketName: string;
  topicArn: string;
  /** The resolved regions to audit (the stack's own when none were configured). */
  regions: readonly string[];
  /** The function's role, named in the remediation of an access-denied cluster. */
  roleArn?: string;
}

/** The name of the suppressions file inside the function's package (the function's working directory). */
export const BUNDLED_SUPPRESSIONS = 'suppressions.yaml';

/** The environment variables of the auditor function, every list comma-separated as lambda/config.ts reads it. */
export function auditorEnvironment(scope: AuditScope, targets: AuditorTargets): Record<string, string> {
  return {
    [ENV.bucket]: targets.bucketName,
    [ENV.prefix]: FINDINGS_PREFIX,
    [ENV.topicArn]: targets.topicArn,
    [ENV.regions]: targets.regions.join(','),
    [ENV.include]: scope.clusterInclude.join(','),
    [ENV.exclude]: scope.clusterExclude.join(','),
    // Always set: an empty value is strict CIS (no exclusions), which differs from unset (the defaults).
    [ENV.excludedNamespaces]: scope.excludedNamespaces.join(','),
    [ENV.alertThreshold]: scope.alertThreshold,
    [ENV.concurrency]: String(scope.auditConcurrency),
    [ENV.clusterTimeout]: String(scope.clusterTimeoutSeconds),
    [ENV.alertOn]: scope.alertOn,
    // The file is copied into the function's package under this name (auditor-function.ts).
    ...(scope.suppressionsFile ? { [ENV.suppressionsFile]: BUNDLED_SUPPRESSIONS } : {}),
    ...(scope.suppressionsKey ? { [ENV.suppressionsKey]: scope.suppressionsKey } : {}),
    [ENV.securityHub]: String(scope.securityHub),
    [ENV.maxBodyMib]: String(scope.maxBodyMib),
    [ENV.functionTimeout]: String(scope.timeoutSeconds),
    ...(targets.roleArn ? { [ENV.roleArn]: targets.roleArn } : {}),
    [ENV.athenaDatabase]: scope.names.glueDatabase,
    [ENV.athenaWorkGroup]: scope.names.athenaWorkGroup,
    POWERTOOLS_SERVICE_NAME: scope.names.serviceName,
    POWERTOOLS_METRICS_NAMESPACE: TELEMETRY.metricNamespace,
    POWERTOOLS_LOG_LEVEL: TELEMETRY.logLevel,
    // Stack traces in the logs point at the TypeScript sources rather than the minified bundle.
    NODE_OPTIONS: '--enable-source-maps',
  };
}

/** The environment of the organization-mode functions: the auditor's, plus the member role, the units and the runs prefix. */
export function organizationEnvironment(
  scope: AuditScope,
  organization: Pick<OrganizationSettings, 'memberRoleName' | 'organizationalUnits' | 'memberSelfEnrolment'>,
  targets: AuditorTargets & { partition?: string },
): Record<string, string> {
  return {
    ...auditorEnvironment(scope, targets),
    [ORG_ENV.memberRoleName]: organization.memberRoleName,
    [ORG_ENV.organizationalUnits]: organization.organizationalUnits.join(','),
    [ORG_ENV.runsPrefix]: DEFAULT_RUNS_PREFIX,
    [ORG_ENV.selfEnrolment]: String(organization.memberSelfEnrolment),
    ...(targets.partition ? { [ORG_ENV.partition]: targets.partition } : {}),
  };
}
