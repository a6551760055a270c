import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeFindings, encodeFindings, findingsObjects } from '../../lambda/report/jsonl.js';
import { finding, findingCluster } from './fixtures.js';

describe('encodeFindings / decodeFindings', () => {
  it('writes gzipped JSON Lines: one finding per line and a trailing newline', () => {
    // Prepare
    const findings = [finding(), finding({ resource: { kind: 'Namespace', namespace: null, name: 'équipe-b' } })];

    // Act
    const text = gunzipSync(encodeFindings(findings)).toString('utf8');

    // Assess
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines.slice(0, 2).map((line) => JSON.parse(line))).toEqual(findings);
  });

  it('reads back exactly what it wrote', () => {
    // Prepare
    const findings = [finding(), finding({ check_id: 'control', resource: { kind: 'Cluster', namespace: null, name: 'prod' } })];

    // Act
    const decoded = decodeFindings(encodeFindings(findings));

    // Assess
    expect(decoded).toEqual(findings);
  });

  it('names the line that is not JSON', () => {
    // Prepare
    const buffer = gzipSync(`${JSON.stringify(finding())}\n{"truncated":\n`);

    // Act
    const decoding = () => decodeFindings(buffer);

    // Assess
    expect(decoding).toThrow('line 2 of the findings is not JSON');
  });
});

describe('findingsObjects', () => {
  it('makes one object per cluster and region per run, keyed by the store layout', () => {
    // Prepare
    const findings = [
      finding({ cluster: findingCluster('prod', 'eu-west-1') }),
      finding({ cluster: findingCluster('prod', 'us-east-1') }),
      finding({ cluster: findingCluster('prod', 'eu-west-1'), check_id: 'engine' }),
      finding({ cluster: findingCluster('prod', 'eu-west-1'), run_id: 'run-2', observed_at: '2024-05-02T06:00:00.000Z' }),
    ];

    // Act
    const objects = findingsObjects('audit/findings/', findings);

    // Assess
    expect(objects.map((object) => [object.key, object.count])).toEqual([
      ['audit/findings/dt=2024-05-01/run-1-123456789012-eu-west-1-prod.jsonl.gz', 2],
      ['audit/findings/dt=2024-05-01/run-1-123456789012-us-east-1-prod.jsonl.gz', 1],
      ['audit/findings/dt=2024-05-02/run-2-123456789012-eu-west-1-prod.jsonl.gz', 1],
    ]);
    expect(decodeFindings(objects[0]!.body)).toEqual([findings[0], findings[2]]);
  });

  it('stores same-named clusters of two accounts apart, and names no account when it is unknown', () => {
    // Prepare
    const findings = [
      finding({ cluster: findingCluster('prod', 'eu-west-1', '111122223333') }),
      finding({ cluster: findingCluster('prod', 'eu-west-1', '444455556666') }),
      finding({ cluster: findingCluster('prod', null) }),
    ];

    // Act
    const objects = findingsObjects('findings', findings);

    // Assess
    expect(objects.map((object) => object.key)).toEqual([
      'findings/dt=2024-05-01/run-1-111122223333-eu-west-1-prod.jsonl.gz',
      'findings/dt=2024-05-01/run-1-444455556666-eu-west-1-prod.jsonl.gz',
      'findings/dt=2024-05-01/run-1-prod.jsonl.gz',
    ]);
    expect(objects.map((object) => decodeFindings(object.body))).toEqual(findings.map((one) => [one]));
  });

  it('refuses a finding whose observed_at is not a date, naming it', () => {
    // Prepare
    const findings = [finding({ finding_id: 'f-1', observed_at: 'yesterday' })];

    // Act
    const grouping = () => findingsObjects('findings', findings);

    // Assess
    expect(grouping).toThrow('finding f-1 has observed_at "yesterday", which is not an ISO-8601 date');
  });
});
