// Issue 7 asked to break the type cycles of the audit (check ↔ model ↔ findings, engines/addon ↔ rule); with six
// people adding modules, this keeps new ones out. madge follows type-only imports too, and resolves our `.js`
// specifiers to the `.ts` sources.
import { describe, expect, test } from '@jest/globals';
import madge from 'madge';

describe('the Lambda code', () => {
  test('has no import cycles, type-only imports included', async () => {
    // Prepare
    const graph = await madge('lambda', { fileExtensions: ['ts'], tsConfig: 'tsconfig.json' });

    // Act
    const cycles = graph.circular();

    // Assess: the graph was really resolved (an unresolved one would have no cycles either), and has none.
    expect(graph.obj()['audit/engines/vpc-cni/agent.ts']).toEqual(expect.arrayContaining(['audit/engines/rule.ts', 'audit/engines/vpc-cni/addon.ts']));
    expect(cycles).toEqual([]);
  });
});
