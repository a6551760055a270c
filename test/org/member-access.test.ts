import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { MemberAccessError, memberAccess } from '../../lambda/org/member-access.js';

const ROLE = (account: string) => `arn:aws:iam::${account}:role/eks-netpol-auditor-member`;

describe('memberAccess', () => {
  const sts = mockClient(STSClient);
  afterEach(() => sts.reset());
  afterAll(() => sts.restore());
  const issued = (expiration: Date) => ({ Credentials: { AccessKeyId: 'ASIAMEMBER', SecretAccessKey: 's', SessionToken: 't', Expiration: expiration } });

  it('assumes the role once per account while its credentials last, for every caller', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).resolves(issued(new Date(Date.now() + 3_600_000)));
    const access = memberAccess({ sts: new STSClient({ region: 'eu-west-1' }), roleArn: ROLE, sessionName: 'audit' });

    // Act
    const [first, second] = await Promise.all([access.credentials('111111111111'), access.credentials('111111111111')]);
    await access.credentials('111111111111');

    // Assess
    expect(first).toEqual(second);
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      { RoleArn: ROLE('111111111111'), RoleSessionName: 'audit', DurationSeconds: 3600 },
    ]);
  });

  it('assumes again when the credentials expire within five minutes', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).resolves(issued(new Date(Date.now() + 60_000)));
    const access = memberAccess({ sts: new STSClient({ region: 'eu-west-1' }), roleArn: ROLE, sessionName: 'audit' });
    await access.credentials('111111111111');

    // Act
    await access.credentials('111111111111');

    // Assess
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('names the role and the cause of a refusal, and asks again next time', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).rejectsOnce(Object.assign(new Error('not authorized'), { name: 'AccessDenied' })).resolves(issued(new Date(Date.now() + 3_600_000)));
    const access = memberAccess({ sts: new STSClient({ region: 'eu-west-1' }), roleArn: ROLE, sessionName: 'audit' });

    // Act
    const refused = access.credentials('222222222222');

    // Assess
    await expect(refused).rejects.toThrow(MemberAccessError);
    await expect(refused).rejects.toThrow(`cannot assume ${ROLE('222222222222')}: AccessDenied: not authorized`);
    await expect(access.credentials('222222222222')).resolves.toMatchObject({ accessKeyId: 'ASIAMEMBER' });
  });
});
