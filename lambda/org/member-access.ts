/**
 * Access to a member account: the member role assumed through STS (credentials cached per account until five
 * minutes before they expire, so a warm function does not assume again for every cluster), and the account's EKS
 * and Account clients signed with them.
 */
import { AccountClient } from '@aws-sdk/client-account';
import type { EKSClient } from '@aws-sdk/client-eks';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { awsFailureText } from '../aws-failure.js';
import { createEksClient } from '../collect/eks.js';

/** The role could not be assumed; the message names the role and the cause, never a credential. */
export class MemberAccessError extends Error {
  override readonly name = 'MemberAccessError';
}

/** What the organization functions need of a member account. */
export interface MemberAccess {
  /** The member role's credentials; throws {@link MemberAccessError}. */
  credentials(account: string): Promise<AwsCredentialIdentity>;
  /** The account's EKS client of `region`, signing with the member role. */
  eks(account: string, region: string): EKSClient;
  /** The account's Account Management client (enabled regions). */
  accountClient(account: string): AccountClient;
}

/** How to reach the member accounts. */
export interface MemberAccessOptions {
  sts: STSClient;
  roleArn(account: string): string;
  /** Shown in the member account's CloudTrail as the session name. */
  sessionName: string;
  /** Builds an EKS client (tests point it at a local endpoint). */
  createEks?(region: string, credentials: AwsCredentialIdentityProvider): EKSClient;
  createAccountClient?(credentials: AwsCredentialIdentityProvider): AccountClient;
  clock?(): Date;
}

const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;
/** Long enough for a batch of audits, the shortest a role session may be asked for. */
const SESSION_SECONDS = 3600;

/** Member access through STS AssumeRole, caching credentials and clients per account. */
export function memberAccess(options: MemberAccessOptions): MemberAccess {
  const clock = options.clock ?? (() => new Date());
  const sessions = new Map<string, { session: Promise<AwsCredentialIdentity>; expiresAt?: number }>();
  const eksClients = new Map<string, EKSClient>();
  const accountClients = new Map<string, AccountClient>();
  const createEks = options.createEks ?? ((region, credentials) => createEksClient(region, { credentials }));
  const createAccount = options.createAccountClient ?? ((credentials) => new AccountClient({ region: 'us-east-1', credentials }));

  const credentials = (account: string): Promise<AwsCredentialIdentity> => {
    const cached = sessions.get(account);
    // A pending session is shared by every caller; a settled one is kept until five minutes before it expires.
    if (cached && (cached.expiresAt === undefined || cached.expiresAt - REFRESH_BEFORE_EXPIRY_MS > clock().getTime())) {
      return cached.session;
    }
    const entry: { session: Promise<AwsCredentialIdentity>; expiresAt?: number } = { session: assume(options, account) };
    entry.session.then(
      (identity) => {
        entry.expiresAt = identity.expiration?.getTime() ?? Number.MAX_SAFE_INTEGER;
      },
      // A refusal is not kept: the next batch or retry asks STS again.
      () => {
        if (sessions.get(account) === entry) sessions.delete(account);
      },
    );
    sessions.set(account, entry);
    return entry.session;
  };
  const provider = (account: string): AwsCredentialIdentityProvider => () => credentials(account);

  return {
    credentials,
    eks(account, region) {
      const key = `${account}/${region}`;
      let client = eksClients.get(key);
      if (!client) eksClients.set(key, (client = createEks(region, provider(account))));
      return client;
    },
    accountClient(account) {
      let client = accountClients.get(account);
      if (!client) accountClients.set(account, (client = createAccount(provider(account))));
      return client;
    },
  };
}

async function assume(options: MemberAccessOptions, account: string): Promise<AwsCredentialIdentity> {
  const roleArn = options.roleArn(account);
  try {
    const { Credentials: issued } = await options.sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: options.sessionName, DurationSeconds: SESSION_SECONDS }),
    );
    if (!issued?.AccessKeyId || !issued.SecretAccessKey) throw new Error('STS returned no credentials');
    return {
      accessKeyId: issued.AccessKeyId,
      secretAccessKey: issued.SecretAccessKey,
      ...(issued.SessionToken ? { sessionToken: issued.SessionToken } : {}),
      ...(issued.Expiration ? { expiration: issued.Expiration } : {}),
    };
  } catch (error) {
    throw new MemberAccessError(`cannot assume ${roleArn}: ${awsFailureText(error)}`);
  }
}
