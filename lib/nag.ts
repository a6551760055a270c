/**
 * Narrow cdk-nag acknowledgements. cdk-nag 3 names each finding of a multi-finding rule as `Rule[Kind::value]`,
 * where `value` is the CloudFormation value flattened its own way (`<LogicalId.Arn>`, `<AWS::Partition>`); the ids
 * here are computed from the very values the stack uses, so an acknowledgement covers that one finding and nothing
 * that might be added later.
 */
import { Stack, Validations } from 'aws-cdk-lib';
// cdk-nag's own renderer: reusing it keeps our ids identical to the ones it reports.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/** The kinds of per-finding ids cdk-nag's IAM rules report. */
export const NagFindingKind = { Resource: 'Resource', Policy: 'Policy' } as const;
/** One of the kinds of {@link NagFindingKind}. */
export type NagFindingKind = (typeof NagFindingKind)[keyof typeof NagFindingKind];

/** The id cdk-nag reports for one finding of `rule` about `value` (a string that may contain CDK tokens). */
export function nagFindingId(scope: IConstruct, rule: string, kind: NagFindingKind, value: string): string {
  return `${rule}[${kind}::${flattenCfnReference(Stack.of(scope).resolve(value))}]`;
}

/** Acknowledges one rule (or one finding id) on `scope` and its children, with the reason it is accepted. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
