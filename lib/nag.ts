/**
 * Narrow cdk-nag acknowledgements. cdk-nag 3 names each finding of a multi-finding rule as `Rule[Kind::value]`,
 * where `value` is the CloudFormation value flattened its own way (`<LogicalId.Arn>`, `<AWS::Partition>`); the ids
 * here are computed from the very values the stack uses, so an acknowledgement covers that one finding and nothing
 * that might be added later.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The kinds of per-finding ids cdk-nag's IAM rules report. */
export const NagFindingKind = { Resource: 'Resource', Policy: 'Policy' } as const;
/** One of the kinds of {@link NagFindingKind}. */
export type NagFindingKind = (typeof NagFindingKind)[keyof typeof NagFindingKind];

/** The id cdk-nag reports for one finding of `rule` about `value` (a string that may contain CDK tokens, or an intrinsic). */
export function nagFindingId(scope: IConstruct, rule: string, kind: NagFindingKind, value: unknown): string {
  return `${rule}[${kind}::${flattened(Stack.of(scope).resolve(value))}]`;
}

/**
 * A resolved CloudFormation value flattened as cdk-nag 3 flattens it for its finding ids (its renderer is internal
 * to the package, so it is restated here; the nag tests fail when the two disagree): `${X}` of Fn::Sub becomes `<X>`,
 * Fn::Join joins its parts, Fn::GetAtt is `<Resource.Attribute>`, Ref is `<Name>`, anything else is its JSON.
 */
function flattened(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (node !== null && typeof node === 'object') {
    const fn = node as Record<string, unknown>;
    if (fn['Fn::Join']) {
      const [delimiter, items] = fn['Fn::Join'] as [string, unknown[]];
      return items.map(flattened).join(delimiter);
    }
    if (fn['Fn::Sub']) return flattened(fn['Fn::Sub']);
    if (fn['Fn::GetAtt']) {
      const [resource, attribute] = fn['Fn::GetAtt'] as [unknown, unknown];
      return `<${flattened(resource)}.${flattened(attribute)}>`;
    }
    if (fn['Fn::ImportValue']) return flattened(fn['Fn::ImportValue']);
    if (fn.Ref) return `<${flattened(fn.Ref)}>`;
  }
  return JSON.stringify(node);
}

/** Acknowledges one rule (or one finding id) on `scope` and its children, with the reason it is accepted. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
