import { AssociateAccessPolicyCommand, CreateAccessEntryCommand, EKSClient, ResourceInUseException } from '@aws-sdk/client-eks';
import { mockClient } from 'aws-sdk-client-mock';
import { enrolMemberRole } from '../../lambda/org/self-enrolment.js';

const ROLE = 'arn:aws:iam::222222222222:role/eks-netpol-auditor-member';

describe('enrolMemberRole', () => {
  const eks = mockClient(EKSClient);
  afterEach(() => eks.reset());
  afterAll(() => eks.restore());
  const client = () => new EKSClient({ region: 'eu-west-1' });

  it('creates the role\'s access entry in the auditor group and associates AmazonEKSViewPolicy at cluster scope', async () => {
    // Prepare
    eks.on(CreateAccessEntryCommand).resolves({}).on(AssociateAccessPolicyCommand).resolves({});

    // Act
    const refused = await enrolMemberRole(client(), 'prod', ROLE, 'aws');

    // Assess
    expect(refused).toBeUndefined();
    expect(eks.commandCalls(CreateAccessEntryCommand)[0]!.args[0].input).toEqual({ clusterName: 'prod', principalArn: ROLE, type: 'STANDARD', kubernetesGroups: ['eks-netpol-auditor'] });
    expect(eks.commandCalls(AssociateAccessPolicyCommand)[0]!.args[0].input).toEqual({
      clusterName: 'prod',
      principalArn: ROLE,
      policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
      accessScope: { type: 'cluster' },
    });
  });

  it('keeps an existing entry and still associates the policy', async () => {
    // Prepare
    eks.on(CreateAccessEntryCommand).rejects(new ResourceInUseException({ message: 'exists', $metadata: {} })).on(AssociateAccessPolicyCommand).resolves({});

    // Act
    const refused = await enrolMemberRole(client(), 'prod', ROLE, 'aws');

    // Assess
    expect(refused).toBeUndefined();
    expect(eks.commandCalls(AssociateAccessPolicyCommand)).toHaveLength(1);
  });

  it('says why when the cluster refuses, without throwing', async () => {
    // Prepare
    eks.on(CreateAccessEntryCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    // Act
    const refused = await enrolMemberRole(client(), 'prod', ROLE, 'aws');

    // Assess
    expect(refused).toBe('eks:CreateAccessEntry failed: AccessDeniedException');
    expect(eks.commandCalls(AssociateAccessPolicyCommand)).toHaveLength(0);
  });
});
