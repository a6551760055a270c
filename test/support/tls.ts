/**
 * Certificates generated at test time for local HTTPS servers: a CA and a server certificate it signs for
 * `localhost` and `127.0.0.1`, so clients verify the server exactly as they verify a real cluster endpoint.
 */
import { generate } from 'selfsigned';

/** A CA and a server certificate it signed, all PEM. */
export interface TestCertificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const VALIDITY_MS = 24 * 60 * 60 * 1000;

/**
 * A fresh CA and a server certificate for 127.0.0.1 signed by it. EC keys keep generation in the milliseconds, so
 * every server (and every test that needs a second, untrusted CA) can afford its own.
 */
export async function createTestCertificates(commonName = 'kube-apiserver'): Promise<TestCertificates> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + VALIDITY_MS);
  const ca = await generate([{ name: 'commonName', value: `${commonName} test CA` }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { caPem: ca.cert, certPem: server.cert, keyPem: server.private };
}
