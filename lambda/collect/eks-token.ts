/**
 * The EKS bearer token: a presigned STS `GetCallerIdentity` URL that the cluster's authenticator replays to learn who
 * is calling. It reproduces `aws eks get-token` byte for byte, and a provider re-signs it before it expires so that a
 * long audit never sends a stale token. The token is a credential: nothing here logs it or puts it in an error.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, QueryParameterBag } from '@smithy/types';
import { isClusterName, isRegionName } from '../names.js';
import { registerSecret } from '../secrets.js';

/** A signed EKS token and when clients must stop using it. */
export interface EksToken {
  /** `k8s-aws-v1.` followed by the unpadded base64url of the presigned URL. A secret. */
  token: string;
  /** ISO-8601 UTC at whole seconds (`2026-03-04T05:20:07Z`), as the ExecCredential `expirationTimestamp`. */
  expirationTimestamp: string;
  /** The same instant as {@link EksToken.expirationTimestamp}. */
  expiresAt: Date;
}

/** What {@link createEksToken} signs: the cluster (name, or id on Outposts), its region, the caller's credentials. */
export interface EksTokenInput {
  clusterName: string;
  region: string;
  credentials: AwsCredentialIdentity;
  /** The signing time; defaults to the current time. */
  now?: Date;
}

const TOKEN_PREFIX = 'k8s-aws-v1.';
const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
// STS ignores X-Amz-Expires for this use: the EKS authenticator accepts the URL for 15 minutes after X-Amz-Date.
// The AWS CLI signs for 60 s and tells clients the token expires after 14 minutes, leaving a minute of margin.
const PRESIGN_SECONDS = 60;
const TOKEN_LIFETIME_MS = 14 * 60 * 1000;

// The AWS CLI writes the query in this order (not the sorted canonical order), so the token matches only in this order.
const QUERY_ORDER = [
  'Action',
  'Version',
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Security-Token',
  'X-Amz-Signature',
] as const;

// DNS suffix of each AWS partition, by region prefix; the first match wins, so `us-isob-` precedes `us-iso-`.
const PARTITION_DNS_SUFFIXES = [
  { prefix: 'cn-', dnsSuffix: 'amazonaws.com.cn' },
  { prefix: 'us-isob-', dnsSuffix: 'sc2s.sgov.gov' },
  { prefix: 'us-isof-', dnsSuffix: 'csp.hci.ic.gov' },
  { prefix: 'us-iso-', dnsSuffix: 'c2s.ic.gov' },
  { prefix: 'eu-isoe-', dnsSuffix: 'cloud.adc-e.uk' },
  { prefix: 'eusc-', dnsSuffix: 'amazonaws.eu' },
] as const;
const DEFAULT_DNS_SUFFIX = 'amazonaws.com';

function stsHostname(region: string): string {
  const partition = PARTITION_DNS_SUFFIXES.find(({ prefix }) => region.startsWith(prefix));
  return `sts.${region}.${partition?.dnsSuffix ?? DEFAULT_DNS_SUFFIX}`;
}

// RFC 3986 percent-encoding, the form SigV4 signs (encodeURIComponent leaves !'()* alone).
function encodeQueryComponent(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function orderedQuery(query: QueryParameterBag = {}): string {
  return QUERY_ORDER.flatMap((name) => {
    const value = query[name];
    return typeof value === 'string' ? [`${name}=${encodeQueryComponent(value)}`] : [];
  }).join('&');
}

// Values are quoted as JSON so that a name with a line break still gives a one-line message.
function validate(clusterName: string, region: string): void {
  if (!isRegionName(region)) throw new Error(`cannot sign an EKS token: region ${JSON.stringify(region)} is not an AWS region name`);
  // The header value is signed as is: anything but a cluster name (or Outposts cluster id) could not verify.
  if (!isClusterName(clusterName)) {
    throw new Error(`cannot sign an EKS token: cluster name ${JSON.stringify(clusterName)} is not an EKS cluster name (letters, digits, -, _)`);
  }
}

/**
 * Signs an EKS token for `clusterName` in `region`, exactly as `aws eks get-token` does: a GET of STS
 * `GetCallerIdentity` presigned for 60 s with the `x-k8s-aws-id` header signed, at the regional STS endpoint of the
 * region's partition. The expiration is 14 minutes after the signing time, truncated to whole seconds like the CLI.
 * Throws a one-line error naming the bad value when the region or cluster name cannot be signed.
 */
export async function createEksToken(input: EksTokenInput): Promise<EksToken> {
  const { clusterName, region, credentials } = input;
  validate(clusterName, region);
  const signingDate = new Date(Math.floor((input.now ?? new Date()).getTime() / 1000) * 1000);
  const hostname = stsHostname(region);
  const request = new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname,
    path: '/',
    headers: { host: hostname, [CLUSTER_ID_HEADER]: clusterName },
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
  });
  // The keys that sign, and the token they make, are secrets in use: no output may show them.
  registerSecret(credentials.secretAccessKey, credentials.sessionToken);
  const signer = new SignatureV4({ credentials, region, service: 'sts', sha256: Sha256 });
  const presigned = await signer.presign(request, { signingDate, expiresIn: PRESIGN_SECONDS });
  const url = `https://${hostname}/?${orderedQuery(presigned.query)}`;
  const expiresAt = new Date(signingDate.getTime() + TOKEN_LIFETIME_MS);
  const token = TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
  registerSecret(token);
  return {
    token,
    expirationTimestamp: expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    expiresAt,
  };
}

/** Options of {@link EksTokenProvider}. */
export interface EksTokenProviderOptions {
  clusterName: string;
  region: string;
  /** Fixed credentials, or a provider (e.g. the default chain) asked again at every signing. */
  credentials: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  /** The time source; defaults to the system clock. */
  clock?: () => Date;
  /** Re-sign when the current token is this close to expiring (default 60 s). */
  refreshBeforeMs?: number;
}

interface CachedToken {
  token: string;
  /** The token's expiry, or the credentials' when they expire first: a token outlives nothing it was signed with. */
  validUntil: number;
}

/**
 * Hands out an EKS token for one cluster for as long as an audit runs: the cached token while it is valid for more
 * than `refreshBeforeMs`, otherwise a freshly signed one. Concurrent callers during a signing share that one signing;
 * a failed signing is not cached, so the next call tries again.
 */
export class EksTokenProvider {
  private readonly clusterName: string;
  private readonly region: string;
  private readonly credentials: AwsCredentialIdentityProvider;
  private readonly clock: () => Date;
  private readonly refreshBeforeMs: number;
  private cached?: CachedToken;
  private signing?: Promise<CachedToken>;

  constructor(opts: EksTokenProviderOptions) {
    validate(opts.clusterName, opts.region);
    const { credentials } = opts;
    this.clusterName = opts.clusterName;
    this.region = opts.region;
    this.credentials = typeof credentials === 'function' ? credentials : async () => credentials;
    this.clock = opts.clock ?? (() => new Date());
    this.refreshBeforeMs = opts.refreshBeforeMs ?? 60_000;
  }

  /** The bearer token to send now: cached while fresh, re-signed when within `refreshBeforeMs` of expiry. */
  async token(): Promise<string> {
    if (this.cached && this.clock().getTime() < this.cached.validUntil - this.refreshBeforeMs) {
      return this.cached.token;
    }
    this.signing ??= this.sign().finally(() => {
      this.signing = undefined;
    });
    return (await this.signing).token;
  }

  private async sign(): Promise<CachedToken> {
    const credentials = await this.credentials();
    const signed = await createEksToken({
      clusterName: this.clusterName,
      region: this.region,
      credentials,
      now: this.clock(),
    });
    const credentialsExpiry = credentials.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
    this.cached = { token: signed.token, validUntil: Math.min(signed.expiresAt.getTime(), credentialsExpiry) };
    return this.cached;
  }
}
