import { spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { AwsCredentialIdentity } from '@smithy/types';
import { createEksToken } from '../../lambda/collect/eks-token.js';

interface Vector {
  cluster: string;
  region: string;
  now: string;
  credentials: AwsCredentialIdentity;
  token: string;
  expirationTimestamp: string;
}

// Vectors produced by the AWS CLI (their provenance is in the file), kept in the repository so a clone anywhere tests.
const VECTORS_FILE = new URL('./vectors/eks-token.json', import.meta.url);
const VECTORS = (JSON.parse(readFileSync(VECTORS_FILE, 'utf8')) as { vectors: Vector[] }).vectors;
const TOKEN_PREFIX = 'k8s-aws-v1.';

function decodedUrl(token: string): string {
  return Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8');
}

/** The presigned URL's query as [name, raw value] pairs, in the order they appear. */
function rawQuery(url: string): [string, string][] {
  return new URL(url).search
    .slice(1)
    .split('&')
    .map((pair) => pair.split('=') as [string, string]);
}

function amzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

// An independent SigV4 verifier (the reference formulation from the AWS documentation), used only to check signatures.
function expectedSignature(url: string, clusterName: string, region: string, secretAccessKey: string): string {
  const { host } = new URL(url);
  const params = rawQuery(url).filter(([name]) => name !== 'X-Amz-Signature');
  const canonicalQuery = [...params]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const emptyPayloadHash = createHash('sha256').update('').digest('hex');
  const canonicalHeaders = `host:${host}\nx-k8s-aws-id:${clusterName}\n`;
  const canonicalRequest = ['GET', '/', canonicalQuery, canonicalHeaders, 'host;x-k8s-aws-id', emptyPayloadHash].join('\n');
  const longDate = decodeURIComponent(params.find(([name]) => name === 'X-Amz-Date')?.[1] ?? '');
  const shortDate = longDate.slice(0, 8);
  const scope = `${shortDate}/${region}/sts/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', longDate, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const key = [shortDate, region, 'sts', 'aws4_request'].reduce<Buffer | string>(
    (previous, part) => createHmac('sha256', previous).update(part).digest(),
    `AWS4${secretAccessKey}`,
  );
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe('createEksToken', () => {
  it.each(VECTORS.map((vector) => [vector.cluster, vector] as const))(
    'reproduces the AWS CLI token and expiration of vector %s byte for byte',
    async (_name, vector) => {
      // Prepare
      const input = { clusterName: vector.cluster, region: vector.region, credentials: vector.credentials, now: new Date(vector.now) };

      // Act
      const signed = await createEksToken(input);

      // Assess
      expect(signed.token).toBe(vector.token);
      expect(signed.expirationTimestamp).toBe(vector.expirationTimestamp);
      expect(signed.expiresAt.toISOString()).toBe(vector.expirationTimestamp.replace('Z', '.000Z'));
    },
  );

  it('truncates the signing time and the expiration to whole seconds', async () => {
    // Prepare
    const vector = VECTORS[0] as Vector;
    const later = new Date(new Date(vector.now).getTime() + 999);

    // Act
    const { cluster: clusterName, region, credentials } = vector;
    const signed = await createEksToken({ clusterName, region, credentials, now: later });

    // Assess
    expect(signed.token).toBe(vector.token);
    expect(signed.expirationTimestamp).toBe(vector.expirationTimestamp);
  });

  // The partitions and their STS DNS suffixes, as listed in the AWS endpoint metadata.
  const PARTITIONS = [
    { prefix: 'us', suffix: 'amazonaws.com' },
    { prefix: 'eu', suffix: 'amazonaws.com' },
    { prefix: 'ap', suffix: 'amazonaws.com' },
    { prefix: 'cn', suffix: 'amazonaws.com.cn' },
    { prefix: 'us-gov', suffix: 'amazonaws.com' },
    { prefix: 'us-iso', suffix: 'c2s.ic.gov' },
    { prefix: 'us-isob', suffix: 'sc2s.sgov.gov' },
  ] as const;

  const regionAndSuffix = fc
    .record({
      partition: fc.constantFrom(...PARTITIONS),
      direction: fc.constantFrom('east', 'west', 'north', 'south', 'central', 'northeast', 'southeast'),
      number: fc.integer({ min: 1, max: 9 }),
    })
    .map(({ partition, direction, number }) => ({ region: `${partition.prefix}-${direction}-${number}`, suffix: partition.suffix }));

  const BASE64_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='.split('');
  const base64Text = (minLength: number, maxLength: number) =>
    fc.string({ unit: fc.constantFrom(...BASE64_CHARACTERS), minLength, maxLength });

  const credentials = fc.record(
    {
      accessKeyId: fc.stringMatching(/^(AKIA|ASIA)[A-Z0-9]{16}$/),
      secretAccessKey: base64Text(40, 40),
      sessionToken: base64Text(16, 400),
    },
    { requiredKeys: ['accessKeyId', 'secretAccessKey'] },
  );

  it('signs, for any cluster, region and credentials, a GetCallerIdentity URL with exactly the CLI query parameters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/),
        regionAndSuffix,
        credentials,
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
        async (clusterName, { region, suffix }, creds, now) => {
          // Act
          const { token, expirationTimestamp } = await createEksToken({ clusterName, region, credentials: creds, now });

          // Assess
          expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
          expect(token.slice(TOKEN_PREFIX.length)).toMatch(/^[A-Za-z0-9_-]+$/);
          const url = decodedUrl(token);
          const parsed = new URL(url);
          expect(parsed.protocol).toBe('https:');
          expect(parsed.host).toBe(`sts.${region}.${suffix}`);
          expect(parsed.pathname).toBe('/');
          const query = rawQuery(url);
          expect(query.map(([name]) => name)).toEqual([
            'Action',
            'Version',
            'X-Amz-Algorithm',
            'X-Amz-Credential',
            'X-Amz-Date',
            'X-Amz-Expires',
            'X-Amz-SignedHeaders',
            ...(creds.sessionToken === undefined ? [] : ['X-Amz-Security-Token']),
            'X-Amz-Signature',
          ]);
          for (const [, raw] of query) expect(raw).toMatch(/^[A-Za-z0-9._~%-]*$/);
          const values = Object.fromEntries(query.map(([name, raw]) => [name, decodeURIComponent(raw)]));
          const signingTime = Math.floor(now.getTime() / 1000) * 1000;
          const signingDate = amzDate(new Date(signingTime));
          expect(values).toMatchObject({
            Action: 'GetCallerIdentity',
            Version: '2011-06-15',
            'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
            'X-Amz-Credential': `${creds.accessKeyId}/${signingDate.slice(0, 8)}/${region}/sts/aws4_request`,
            'X-Amz-Date': signingDate,
            'X-Amz-Expires': '60',
            'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
          });
          expect(values['X-Amz-Security-Token']).toBe(creds.sessionToken);
          expect(values['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
          expect(values['X-Amz-Signature']).toBe(expectedSignature(url, clusterName, region, creds.secretAccessKey));
          expect(url).not.toContain(encodeURIComponent(creds.secretAccessKey));
          expect(new Date(expirationTimestamp).getTime()).toBe(signingTime + 14 * 60_000);
        },
      ),
      { numRuns: 150 },
    );
  });

  it.each([
    ['cn-north-1', 'sts.cn-north-1.amazonaws.com.cn'],
    ['cn-northwest-1', 'sts.cn-northwest-1.amazonaws.com.cn'],
    ['us-gov-west-1', 'sts.us-gov-west-1.amazonaws.com'],
    ['us-iso-east-1', 'sts.us-iso-east-1.c2s.ic.gov'],
    ['us-isob-east-1', 'sts.us-isob-east-1.sc2s.sgov.gov'],
    ['eu-west-1', 'sts.eu-west-1.amazonaws.com'],
  ])('signs for the STS endpoint of the partition of %s', async (region, host) => {
    // Prepare
    const input = { clusterName: 'prod', region, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } };

    // Act
    const { token } = await createEksToken(input);

    // Assess
    const url = new URL(decodedUrl(token));
    expect(url.host).toBe(host);
    expect(decodeURIComponent(url.searchParams.get('X-Amz-Credential') ?? '')).toContain(`/${region}/sts/aws4_request`);
  });

  it.each([
    ['region', { clusterName: 'prod', region: 'eu-west-1.evil.example' }, /region "eu-west-1.evil.example" is not an AWS region name/],
    ['cluster name', { clusterName: 'prod\ncluster', region: 'eu-west-1' }, /cluster name "prod\\ncluster" is not an EKS cluster name/],
  ])('rejects a malformed %s with a one-line message that carries no secret', async (_what, target, message) => {
    // Prepare
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'do-not-leak-this-secret' };

    // Act
    const attempt = createEksToken({ ...target, credentials });

    // Assess
    const error = (await attempt.then(
      () => undefined,
      (rejection: unknown) => rejection,
    )) as Error;
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain(credentials.secretAccessKey);
  });
});

// The AWS CLI is optional on a developer machine and in CI: the shared vectors are the reference. When it is
// installed, its live output (signed at its own clock) must be reproduced exactly from the same clock reading.
const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' });
const awsCliAvailable = awsCli.status === 0 && /^aws-cli\//.test(`${awsCli.stdout}${awsCli.stderr}`);
if (awsCliAvailable) {
  describe('createEksToken compared with the installed AWS CLI', () => {
    it('produces the token of `aws eks get-token` for the same credentials and signing time', async () => {
      // Prepare
      const credentials = { accessKeyId: 'ASIAEXAMPLECLI', secretAccessKey: 'cli/secret+key=', sessionToken: 'FwoGZXIvYXdzE+/s==' };
      const args = ['eks', 'get-token', '--cluster-name', 'cli-check', '--region', 'ap-southeast-2', '--output', 'json'];
      const cli = spawnSync('aws', args, {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_SESSION_TOKEN: credentials.sessionToken,
          AWS_CONFIG_FILE: '/nonexistent/aws-config',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
        },
      });
      const expected = JSON.parse(cli.stdout) as { status: { token: string; expirationTimestamp: string } };
      const cliDate = new URL(decodedUrl(expected.status.token)).searchParams.get('X-Amz-Date') ?? '';
      const now = new Date(cliDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));

      // Act
      const signed = await createEksToken({ clusterName: 'cli-check', region: 'ap-southeast-2', credentials, now });

      // Assess
      expect(signed.token).toBe(expected.status.token);
      // The CLI reads its clock again for the expiration, so it may be a second later than the signing time's.
      expect(new Date(expected.status.expirationTimestamp).getTime() - signed.expiresAt.getTime()).toBeGreaterThanOrEqual(0);
      expect(new Date(expected.status.expirationTimestamp).getTime() - signed.expiresAt.getTime()).toBeLessThanOrEqual(2000);
    });
  });
}
