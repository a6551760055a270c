import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import type { Finding } from '../../lambda/audit/finding.js';
import { SECURITY_HUB_MAX_ATTEMPTS, createSecurityHubClient, importFindings } from '../../lambda/report/security-hub.js';
import { finding, findingCluster } from './fixtures.js';

const hub = mockClient(SecurityHubClient);
const FALLBACK = { accountId: '123456789012', region: 'eu-west-1' };

afterEach(() => hub.reset());

function findings(count: number): Finding[] {
  return Array.from({ length: count }, (_, index) =>
    finding({ finding_id: `id-${index}`, status: index % 2 ? 'PASS' : 'FAIL', resource: { kind: 'Namespace', namespace: null, name: `ns-${index}` } }),
  );
}

function throttled(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
}

describe('importFindings', () => {
  it('sends at most 100 findings a call, PASS findings included, and counts what was imported', async () => {
    // Prepare
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: unknown[] }) => ({ SuccessCount: input.Findings.length, FailedCount: 0, FailedFindings: [] }));

    // Act
    const outcome = await importFindings(createSecurityHubClient('eu-west-1'), findings(250), FALLBACK);

    // Assess
    const sizes = hub.commandCalls(BatchImportFindingsCommand).map((call) => call.args[0].input.Findings?.length);
    expect(sizes).toEqual([100, 100, 50]);
    expect(outcome).toEqual({ imported: 250, failed: [] });
    const statuses = hub.commandCalls(BatchImportFindingsCommand)[0]!.args[0].input.Findings!.map((item) => item.Compliance?.Status);
    expect(new Set(statuses)).toEqual(new Set(['FAILED', 'PASSED']));
  });

  it('retries a throttled batch with growing, jittered waits, then imports it', async () => {
    // Prepare
    hub.on(BatchImportFindingsCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({ SuccessCount: 3, FailedCount: 0, FailedFindings: [] });
    const waits: number[] = [];

    // Act
    const outcome = await importFindings(createSecurityHubClient('eu-west-1'), findings(3), FALLBACK, {
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.5,
      baseDelayMs: 100,
    });

    // Assess
    expect(outcome).toEqual({ imported: 3, failed: [] });
    expect(waits).toEqual([50, 100]);
    expect(hub.commandCalls(BatchImportFindingsCommand)).toHaveLength(3);
  });

  it('gives up on a batch still throttled after its attempts and reports each of its findings', async () => {
    hub.on(BatchImportFindingsCommand).rejects(throttled());

    const outcome = await importFindings(createSecurityHubClient('eu-west-1'), findings(2), FALLBACK, { sleep: async () => undefined });

    expect(hub.commandCalls(BatchImportFindingsCommand)).toHaveLength(SECURITY_HUB_MAX_ATTEMPTS);
    expect(outcome.imported).toBe(0);
    expect(outcome.failed.map((item) => item.id)).toEqual(['id-0', 'id-1']);
    expect(outcome.failed[0]?.reason).toMatch(/^BatchImportFindings failed after 6 attempts: .*Rate exceeded/);
  });

  it('reports the findings of a partial failure by id and reason, and does not retry an error that is not throttling', async () => {
    // Prepare
    hub
      .on(BatchImportFindingsCommand)
      .resolvesOnce({ SuccessCount: 99, FailedCount: 1, FailedFindings: [{ Id: 'id-7', ErrorCode: 'InvalidInput', ErrorMessage: 'Finding does not adhere to ASFF' }] })
      .rejectsOnce(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));

    // Act
    const outcome = await importFindings(createSecurityHubClient('eu-west-1'), findings(101), FALLBACK, { sleep: async () => undefined });

    // Assess
    expect(outcome.imported).toBe(99);
    expect(outcome.failed).toEqual([
      { id: 'id-7', reason: 'InvalidInput: Finding does not adhere to ASFF' },
      { id: 'id-100', reason: expect.stringMatching(/^BatchImportFindings failed: .*not authorized/) },
    ]);
    expect(hub.commandCalls(BatchImportFindingsCommand)).toHaveLength(2);
  });

  it('addresses a finding without account or region to the fallback, so nothing is refused for it', async () => {
    hub.on(BatchImportFindingsCommand).resolves({ SuccessCount: 1, FailedCount: 0, FailedFindings: [] });

    await importFindings(createSecurityHubClient('eu-west-1'), [finding({ cluster: findingCluster('region-wide', null) })], FALLBACK);

    expect(hub.commandCalls(BatchImportFindingsCommand)[0]!.args[0].input.Findings![0]!.AwsAccountId).toBe('123456789012');
  });
});
