/**
 * One EKS (or other regional) client per region, created on first use and reused afterwards: clients hold connection pools and
 * resolved credentials, so a warm Lambda (or a long CLI run) should not rebuild them per cluster.
 */
import type { EKSClient } from '@aws-sdk/client-eks';
import { createEksClient } from '../collect/eks.js';

/** A function returning the EKS client of a region, the same instance for every call with that region. */
export function regionalEksClients(create: (region: string) => EKSClient = createEksClient): (region: string) => EKSClient {
  return regionalClients(create);
}

/** The same for any regional client (Security Hub's too): `create` runs once per region. */
export function regionalClients<Client>(create: (region: string) => Client): (region: string) => Client {
  const clients = new Map<string, Client>();
  return (region) => {
    let client = clients.get(region);
    if (!client) clients.set(region, (client = create(region)));
    return client;
  };
}
