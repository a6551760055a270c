/**
 * The Lambda entry point. At cold start: Powertools Logger and Metrics (configured by the environment the stack
 * sets), the configuration validated once, and the AWS clients (S3, SNS, one EKS client per region, created on first
 * use and reused). An invalid configuration is logged once as one line and fails every invocation with that message.
 */
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { ConfigError, loadConfig, type AuditorConfig } from './config.js';
import { regionalClients, regionalEksClients } from './live/eks-clients.js';
import { createHandler, type AuditHandler } from './live/run-handler.js';
import { createS3Client } from './report/s3-store.js';
import { createSecurityHubClient } from './report/security-hub.js';
import { createSnsClient } from './report/sns-alert.js';
import { redactingJsonReplacer } from './secrets.js';

export { createHandler } from './live/run-handler.js';

// Every log line is redacted as it is written: no credential in use reaches the log group, whatever carried it.
const logger = new Logger({ jsonReplacerFn: redactingJsonReplacer });
const metrics = new Metrics();

/** The handler over real clients, or, when the configuration is invalid, one that fails with the configuration's error. */
function coldStart(): AuditHandler {
  let config: AuditorConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    logger.error(`invalid configuration: ${error.message}`);
    return async () => {
      throw error;
    };
  }
  return createHandler({
    config,
    logger,
    metrics,
    eksFor: regionalEksClients(),
    s3: createS3Client(),
    // The topic's region, which may differ from the function's.
    ...(config.topicArn ? { sns: createSnsClient({ region: config.topicArn.split(':')[3] }) } : {}),
    ...(config.securityHub ? { securityHubFor: regionalClients((region) => createSecurityHubClient(region)) } : {}),
    credentials: fromNodeProviderChain(),
  });
}

/** The function's handler: see {@link createHandler} for what one invocation does. */
export const handler: AuditHandler = coldStart();
