/**
 * The organization-mode stack (`cdk deploy -c mode=organization`, in the management account or a delegated
 * administrator account), read as an inventory: the same findings store, alert topic and Athena as the
 * single-account stack; the run's functions and its state machine; the schedule that starts one execution per run;
 * the member role StackSet; and the alarms.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { DEFAULT_RUNS_PREFIX } from '../lambda/org/org-config.js';
import { Alerting } from './alerting.js';
import { AuditSchedule } from './audit-schedule.js';
import { ATHENA_NAMES } from '../lambda/report/athena.js';
import { FindingsAthena } from './findings-athena.js';
import { FindingsStore } from './findings-store.js';
import { MemberRoleStackSet } from './member-role.js';
import { OrgAlarms } from './org-alarms.js';
import { OrgFunctions } from './org-functions.js';
import { OrgStateMachine } from './org-state-machine.js';
import type { AuditorSettings, OrganizationSettings } from './settings.js';

/** A stack's usual properties plus the validated settings, organization mode included. */
export interface OrganizationStackProps extends StackProps {
  settings: AuditorSettings & { organization: OrganizationSettings };
}

/** The organization-wide auditor: everything `cdk deploy -c mode=organization` creates. */
export class OrganizationStack extends Stack {
  readonly store: FindingsStore;
  readonly alerting: Alerting;
  readonly functions: OrgFunctions;
  readonly run: OrgStateMachine;
  readonly schedule: AuditSchedule;
  readonly memberRole: MemberRoleStackSet;
  readonly athena: FindingsAthena;
  readonly alarms: OrgAlarms;

  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    super(scope, id, props);
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const { settings } = props;
    const { organization } = settings;

    this.store = new FindingsStore(this, 'Findings', { retentionDays: settings.retentionDays });
    this.alerting = new Alerting(this, 'Alerts', { emails: settings.alertEmails });
    this.functions = new OrgFunctions(this, 'Functions', {
      settings,
      organization,
      bucket: this.store.bucket,
      prefix: this.store.prefix,
      topic: this.alerting.topic,
      topicKey: this.alerting.key,
    });
    this.run = new OrgStateMachine(this, 'Run', {
      plan: this.functions.plan,
      auditBatch: this.functions.auditBatch,
      recordFailure: this.functions.recordFailure,
      report: this.functions.report,
      bucket: this.store.bucket,
      runsPrefix: DEFAULT_RUNS_PREFIX,
      mapConcurrency: organization.mapConcurrency,
      clustersPerBatch: organization.clustersPerBatch,
    });
    this.functions.startsRunsOf(this.run.stateMachine);
    this.schedule = new AuditSchedule(this, 'Schedule', {
      expression: settings.schedule,
      target: this.functions.start,
      deadLetterQueue: this.functions.startDeadLetterQueue,
    });
    this.memberRole = new MemberRoleStackSet(this, 'MemberRole', {
      roleName: organization.memberRoleName,
      trustedRoles: this.functions.memberRoleCallers,
      targets: organization.memberRoleTargets,
      callAs: organization.stackSetCallAs,
      selfEnrolment: organization.memberSelfEnrolment,
      inHubAccount: organization.memberRoleInHub,
    });
    this.athena = new FindingsAthena(this, 'Athena', {
      names: { database: settings.names.glueDatabase, table: ATHENA_NAMES.table, workgroup: settings.names.athenaWorkGroup },
      bucket: this.store.bucket,
      prefix: this.store.prefix,
      accessLogs: this.store.accessLogs,
    });
    this.alarms = new OrgAlarms(this, 'Alarms', {
      stateMachine: this.run.stateMachine,
      startDeadLetterQueue: this.functions.startDeadLetterQueue,
      staleness: settings.staleness,
      topic: this.alerting.topic,
      service: settings.names.serviceName,
    });

    new CfnOutput(this, 'FindingsBucketName', { value: this.store.bucket.bucketName });
    new CfnOutput(this, 'AthenaWorkGroup', { value: this.athena.workGroup.ref });
    new CfnOutput(this, 'StateMachineArn', { value: this.run.stateMachine.stateMachineArn });
    new CfnOutput(this, 'MemberRoleCallers', {
      description: 'The hub roles the member role trusts; grant the member role itself Kubernetes read access in each cluster',
      value: this.functions.memberRoleCallers.map((role) => role.roleArn).join(','),
    });
    new CfnOutput(this, 'RunNowCommand', {
      description: 'Starts one organization run now; the execution name is the run id',
      value: `aws stepfunctions start-execution --region ${this.region} --state-machine-arn ${this.run.stateMachine.stateMachineArn} --name manual-$(date -u +%Y%m%dT%H%M%SZ) --input '{}'`,
    });
  }
}
