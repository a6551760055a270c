import type { AwsCredentialIdentity } from '@smithy/types';
import { EksTokenProvider } from '../../lambda/collect/eks-token.js';

const T0 = new Date('2026-03-04T05:06:07Z');
const MINUTE = 60_000;
const CREDENTIALS: AwsCredentialIdentity = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

/** The X-Amz-Date a token was signed at: tells two signings apart. */
function signedAt(token: string): string | null {
  return new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8')).searchParams.get('X-Amz-Date');
}

/** Fixed credentials, or a provider of them told which signing (1, 2, …) asks. */
type CredentialSource = AwsCredentialIdentity | ((signing: number) => Promise<AwsCredentialIdentity>);

/** A clock the test moves by hand, and a credentials provider that counts how often it is asked (once per signing). */
function fixture(options: { refreshBeforeMs?: number; credentials?: CredentialSource } = {}) {
  let now = T0.getTime();
  let signings = 0;
  const source = options.credentials ?? CREDENTIALS;
  const provider = new EksTokenProvider({
    clusterName: 'prod-eu',
    region: 'eu-west-1',
    credentials: () => {
      signings += 1;
      return typeof source === 'function' ? source(signings) : Promise.resolve(source);
    },
    clock: () => new Date(now),
    refreshBeforeMs: options.refreshBeforeMs,
  });
  return {
    provider,
    advance: (ms: number) => {
      now += ms;
    },
    signings: () => signings,
  };
}

describe('EksTokenProvider', () => {
  it('returns the cached token while it is valid for longer than the refresh margin', async () => {
    // Prepare
    const { provider, advance, signings } = fixture();
    const first = await provider.token();
    advance(12 * MINUTE + 59_000);

    // Act
    const second = await provider.token();

    // Assess
    expect(second).toBe(first);
    expect(signings()).toBe(1);
  });

  it('re-signs when the token is within the default 60 s of its 14-minute expiry', async () => {
    // Prepare
    const { provider, advance, signings } = fixture();
    const first = await provider.token();
    advance(13 * MINUTE);

    // Act
    const second = await provider.token();

    // Assess
    expect(signings()).toBe(2);
    expect(signedAt(first)).toBe('20260304T050607Z');
    expect(signedAt(second)).toBe('20260304T051907Z');
  });

  it('honours a custom refresh margin', async () => {
    // Prepare
    const { provider, advance, signings } = fixture({ refreshBeforeMs: 5 * MINUTE });
    await provider.token();
    advance(9 * MINUTE);

    // Act
    await provider.token();

    // Assess
    expect(signings()).toBe(2);
  });

  it('keeps the freshly signed token after a refresh', async () => {
    // Prepare
    const { provider, advance, signings } = fixture();
    await provider.token();
    advance(13 * MINUTE);
    const refreshed = await provider.token();
    advance(MINUTE);

    // Act
    const again = await provider.token();

    // Assess
    expect(again).toBe(refreshed);
    expect(signings()).toBe(2);
  });

  it('re-signs before temporary credentials expire when they expire before the token would', async () => {
    // Prepare
    const expiring = { ...CREDENTIALS, sessionToken: 'session', expiration: new Date(T0.getTime() + 5 * MINUTE) };
    const { provider, advance, signings } = fixture({ credentials: expiring });
    await provider.token();
    advance(4 * MINUTE + 30_000);

    // Act
    await provider.token();

    // Assess
    expect(signings()).toBe(2);
  });

  it('signs once for concurrent callers and gives them all the same token', async () => {
    // Prepare
    let release: (credentials: AwsCredentialIdentity) => void = () => undefined;
    const { provider, signings } = fixture({
      credentials: () =>
        new Promise<AwsCredentialIdentity>((resolve) => {
          release = resolve;
        }),
    });

    // Act
    const pending = Array.from({ length: 5 }, () => provider.token());
    release(CREDENTIALS);
    const tokens = await Promise.all(pending);

    // Assess
    expect(signings()).toBe(1);
    expect(new Set(tokens).size).toBe(1);
  });

  it('does not cache a failed signing: the next call signs again', async () => {
    // Prepare
    const { provider, signings } = fixture({
      credentials: async (signing) => {
        if (signing === 1) throw new Error('credentials endpoint unavailable');
        return CREDENTIALS;
      },
    });
    await expect(provider.token()).rejects.toThrow('credentials endpoint unavailable');

    // Act
    const token = await provider.token();

    // Assess
    expect(signedAt(token)).toBe('20260304T050607Z');
    expect(signings()).toBe(2);
  });

  it('accepts fixed credentials as well as a provider', async () => {
    // Prepare
    const provider = new EksTokenProvider({ clusterName: 'prod-eu', region: 'eu-west-1', credentials: CREDENTIALS, clock: () => T0 });

    // Act
    const token = await provider.token();

    // Assess
    expect(token).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    expect(signedAt(token)).toBe('20260304T050607Z');
  });

  it('rejects a malformed region when it is constructed', () => {
    // Act
    const construct = () => new EksTokenProvider({ clusterName: 'prod-eu', region: 'Ireland', credentials: CREDENTIALS });

    // Assess
    expect(construct).toThrow('region "Ireland" is not an AWS region name');
  });
});
