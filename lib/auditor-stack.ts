/**
 * The deployable stack, read as an inventory: the findings store, the alert topic, the auditor function, its
 * schedule, Athena over the findings, the alarms, and Kubernetes access for the function's role.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import type { Construct } from 'constructs';
import { Alerting } from './alerting.js';
import { AuditSchedule } from './audit-schedule.js';
import { AuditorAlarms } from './auditor-alarms.js';
import { AuditorFunction } from './auditor-function.js';
import { ClusterAccess } from './cluster-access.js';
import { ATHENA_NAMES } from '../lambda/report/athena.js';
import { FindingsAthena } from './findings-athena.js';
import { FindingsStore } from './findings-store.js';
import type { AuditorSettings } from './settings.js';

/** A stack's usual properties plus the validated settings. */
export interface AuditorStackProps extends StackProps {
  settings: AuditorSettings;
}

/** The EKS network-policy auditor: everything `cdk deploy` creates. */
export class AuditorStack extends Stack {
  readonly store: FindingsStore;
  readonly alerting: Alerting;
  readonly auditor: AuditorFunction;
  readonly schedule: AuditSchedule;
  readonly athena: FindingsAthena;
  readonly alarms: AuditorAlarms;
  readonly access: ClusterAccess;

  constructor(scope: Construct, id: string, props: AuditorStackProps) {
    super(scope, id, props);
    // Log delivery by bucket policy: the ACL alternative needs ACLs enabled, which new buckets refuse. Set here, not
    // in cdk.json, so the stack is correct however its app is built.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const { settings } = props;

    this.store = new FindingsStore(this, 'Findings', { retentionDays: settings.retentionDays });
    this.alerting = new Alerting(this, 'Alerts', { emails: settings.alertEmails });
    this.auditor = new AuditorFunction(this, 'Auditor', {
      settings,
      resources: {
        regions: settings.regions.length > 0 ? settings.regions : [this.region],
        bucket: this.store.bucket,
        prefix: this.store.prefix,
        topic: this.alerting.topic,
        topicKey: this.alerting.key,
        ...(settings.suppressionsKey ? { suppressionsKey: settings.suppressionsKey } : {}),
        securityHub: settings.securityHub,
      },
    });
    this.schedule = new AuditSchedule(this, 'Schedule', {
      expression: settings.schedule,
      target: this.auditor.function,
      deadLetterQueue: this.auditor.deadLetterQueue,
    });
    this.athena = new FindingsAthena(this, 'Athena', {
      names: { database: settings.names.glueDatabase, table: ATHENA_NAMES.table, workgroup: settings.names.athenaWorkGroup },
      bucket: this.store.bucket,
      prefix: this.store.prefix,
      accessLogs: this.store.accessLogs,
    });
    this.alarms = new AuditorAlarms(this, 'Alarms', {
      function: this.auditor.function,
      deadLetterQueue: this.auditor.deadLetterQueue,
      staleness: settings.staleness,
      topic: this.alerting.topic,
      securityHub: settings.securityHub,
      service: settings.names.serviceName,
    });
    this.access = new ClusterAccess(this, 'ClusterAccess', {
      role: this.auditor.role,
      clusters: settings.grantClusters,
    });

    new CfnOutput(this, 'FindingsBucketName', { value: this.store.bucket.bucketName });
    new CfnOutput(this, 'AthenaWorkGroup', { value: this.athena.workGroup.ref });
    new CfnOutput(this, 'RunNowCommand', {
      description: 'Starts one audit now (asynchronously, like the schedule); the staleness alarm is quiet after it',
      value: `aws lambda invoke --region ${this.region} --function-name ${this.auditor.function.functionName} --invocation-type Event --cli-binary-format raw-in-base64-out --payload '{}' /dev/null`,
    });
  }
}
