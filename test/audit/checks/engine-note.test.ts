import { engineNote } from '../../../lambda/audit/checks/engine-note.js';
import { Status } from '../../../lambda/audit/finding.js';
import { engine } from '../fixtures.js';

describe('engineNote', () => {
  it('says policies are inert when no engine enforces them, and unknown when detection could not decide', () => {
    const results = [Status.Pass, Status.Fail, Status.Unknown].map((status) => engineNote(engine(status)));

    expect(results.map(({ enforced }) => enforced)).toEqual([true, false, null]);
    expect(results.map(({ note }) => note)).toEqual(['', expect.stringContaining('inert'), expect.stringContaining('unknown')]);
  });
});
