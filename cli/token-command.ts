/**
 * `token --cluster NAME [--region REGION]`: prints an EKS `ExecCredential` exactly as `aws eks get-token` does, so it
 * serves as a kubectl exec credential plugin. Credentials come from the AWS default credential chain.
 */
import { parseArgs } from 'node:util';
import type { AwsCredentialIdentity } from '@smithy/types';
import { createEksToken } from '../lambda/collect/eks-token.js';
import { UsageError, type CommandIo } from './io.js';

const FALLBACK_API_VERSION = 'client.authentication.k8s.io/v1beta1';
const SUPPORTED_API_VERSIONS: readonly string[] = ['client.authentication.k8s.io/v1', FALLBACK_API_VERSION];

/**
 * The ExecCredential version to answer with: the one kubectl asks for in KUBERNETES_EXEC_INFO when supported (a kubeconfig
 * declaring v1 rejects a v1beta1 answer), otherwise v1beta1 with a warning on stderr, as the AWS CLI does.
 */
function execCredentialApiVersion(io: CommandIo): string {
  const execInfo = io.env.KUBERNETES_EXEC_INFO;
  if (!execInfo) return FALLBACK_API_VERSION;
  let requested: unknown;
  try {
    requested = (JSON.parse(execInfo) as { apiVersion?: unknown } | null)?.apiVersion;
  } catch {
    requested = undefined;
  }
  if (typeof requested === 'string' && SUPPORTED_API_VERSIONS.includes(requested)) return requested;
  io.stderr.write(`warning: KUBERNETES_EXEC_INFO has no supported apiVersion; answering ${FALLBACK_API_VERSION}\n`);
  return FALLBACK_API_VERSION;
}

/** The `token --help` text. */
export const TOKEN_USAGE = `usage: eks-netpol-auditor token --cluster NAME [--region REGION]

Prints an EKS token for the cluster as a kubectl ExecCredential, exactly as \`aws eks get-token\` does, with the
AWS default credential chain (AWS_PROFILE, environment, SSO, instance role, …).

  --cluster NAME      the EKS cluster to sign a token for
  --region REGION     its region (default: $AWS_REGION, then $AWS_DEFAULT_REGION)
  --help              this text

As a kubectl credential plugin (the user entry of a kubeconfig):
  exec:
    apiVersion: client.authentication.k8s.io/v1beta1
    command: eks-netpol-auditor
    args: [token, --cluster, NAME, --region, REGION]

Exit status: 0 the credential was printed, 2 bad usage or no usable AWS credentials.
`;

function parseTokenArgs(args: string[], io: CommandIo): { help: true } | { help: false; clusterName: string; region: string } {
  const { values } = parseArgs({
    args,
    options: { cluster: { type: 'string' }, region: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help === true) return { help: true };
  const clusterName = values.cluster?.trim();
  if (!clusterName) throw new UsageError('--cluster NAME is required (the EKS cluster to sign a token for)');
  const region = values.region?.trim() || io.env.AWS_REGION?.trim() || io.env.AWS_DEFAULT_REGION?.trim();
  if (!region) throw new UsageError('no region: pass --region REGION or set AWS_REGION');
  return { help: false, clusterName, region };
}

// Node's own errors (parseArgs) may come from another realm, where `instanceof Error` is false: read the message.
function firstLineOf(error: unknown): string {
  const message = error !== null && typeof error === 'object' && 'message' in error ? String(error.message) : String(error);
  return message.split('\n', 1)[0]?.trim() ?? '';
}

async function defaultChainCredentials(io: CommandIo): Promise<AwsCredentialIdentity> {
  try {
    // The credential chain is the bulk of the command's code: `token --help` never loads it.
    const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
    return await fromNodeProviderChain({ profile: io.env.AWS_PROFILE || undefined })();
  } catch (error) {
    throw new UsageError(`no usable AWS credentials in the default chain: ${firstLineOf(error)}`);
  }
}

/**
 * Runs the `token` command with `args` (after the command name): prints the ExecCredential JSON on stdout, formatted
 * like the AWS CLI (4-space indent, blank line after), and returns 0; on bad usage, a bad region or cluster name, or no
 * credentials, prints one line on stderr and returns 2. The token itself is only ever written to stdout.
 */
export async function runTokenCommand(args: string[], io: CommandIo): Promise<number> {
  try {
    const invocation = parseTokenArgs(args, io);
    if (invocation.help) {
      io.stdout.write(TOKEN_USAGE);
      return 0;
    }
    const { clusterName, region } = invocation;
    const credentials = await defaultChainCredentials(io);
    const { token, expirationTimestamp } = await createEksToken({ clusterName, region, credentials });
    const execCredential = {
      kind: 'ExecCredential',
      apiVersion: execCredentialApiVersion(io),
      spec: {},
      status: { expirationTimestamp, token },
    };
    io.stdout.write(`${JSON.stringify(execCredential, null, 4)}\n\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`token: ${firstLineOf(error)}\n`);
    return 2;
  }
}
