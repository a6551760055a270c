/**
 * An in-memory kubeconfig for one EKS cluster, built from `DescribeCluster` output, whose bearer token comes from an
 * async provider on every request. client-node asks a registered `Authenticator` each time it prepares a request,
 * so a provider that re-signs the EKS token before it expires keeps a long audit authenticated.
 */
import { KubeConfig, type User } from '@kubernetes/client-node';

// client-node 1.x does not export the Authenticator interface from its entry point; take it from where it is used.
type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];

/** What {@link kubeConfigForEks} needs: the cluster's name, endpoint and CA (base64 PEM, as EKS returns it). */
export interface EksKubeConfigInput {
  name: string;
  endpoint: string;
  certificateAuthorityData: string;
  /** Called for every request; returns the bearer token (e.g. a cached, refreshing EKS token). */
  token: () => Promise<string>;
}

// The kubeconfig user names this auth provider; no built-in client-node authenticator claims the name.
const AUTH_PROVIDER = 'eks-netpol-auditor-token';

/** Applies the provider's current token to each request of the one user it was created for. */
class EksTokenAuthenticator implements Authenticator {
  constructor(
    private readonly userName: string,
    private readonly token: () => Promise<string>,
  ) {}

  isAuthProvider(user: User): boolean {
    return user.name === this.userName && user.authProvider?.name === AUTH_PROVIDER;
  }

  async applyAuthentication(_user: User, opts: { headers?: Record<string, unknown> }): Promise<void> {
    opts.headers = { ...opts.headers, Authorization: `Bearer ${await this.token()}` };
  }
}

/**
 * A kubeconfig whose current context is the EKS cluster `input.name`, verifying the endpoint against the cluster's
 * CA and authenticating every request with a fresh call to `input.token`. The token is never stored in the config.
 */
export function kubeConfigForEks(input: EksKubeConfigInput): KubeConfig {
  const userName = `${input.name}-auditor`;
  const kubeConfig = new KubeConfig();
  kubeConfig.addAuthenticator(new EksTokenAuthenticator(userName, input.token));
  kubeConfig.loadFromOptions({
    clusters: [{ name: input.name, server: input.endpoint, caData: input.certificateAuthorityData, skipTLSVerify: false }],
    users: [{ name: userName, authProvider: { name: AUTH_PROVIDER, config: {} } }],
    contexts: [{ name: input.name, cluster: input.name, user: userName }],
    currentContext: input.name,
  });
  return kubeConfig;
}
