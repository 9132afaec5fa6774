// Helpers that make lists stop at a million elements with a located error, before the process
// runs out of memory (Helm has no limit; `until 100000000` took 14 s and 1.5 GB here).
import { describe, expect, it } from 'vitest';
import { createEnvironment } from '../environment.js';

const render = (source: string, values: Record<string, unknown> = {}) => createEnvironment([]).render({ path: 'chart/templates/t.yaml', source }, { values });

describe('list budget', () => {
  it('until and splitList make up to a million elements', () => {
    expect(render('{{len (until 1000000)}}|{{len (until -1000000)}}|{{len (splitList "," values.s)}}|{{len (splitList "" values.t)}}', { s: ','.repeat(999_999), t: 'é'.repeat(1_000_000) })).toBe('1000000|1000000|1000000|1000000');
  });

  it('and refuse more, at the line that asked', () => {
    for (const [source, values] of [
      ['{{len (until 100000000)}}', {}],
      ['{{len (until -1000001)}}', {}],
      ['{{len (splitList "," values.s)}}', { s: ','.repeat(1_000_000) }],
      ['{{len (splitList "" values.t)}}', { t: 'ab'.repeat(500_001) }],
      ['{{len (splitList "" values.t)}}', { t: '😀'.repeat(1_000_001) }],
    ] as const) {
      let error: unknown;
      try {
        render(`a: 1\nb: ${source}`, values);
      } catch (err) {
        error = err;
      }
      expect(error, source).toMatchObject({ line: 2, message: expect.stringMatching(/^(until|splitList): render budget exceeded: a list of more than 1000000 elements/) });
    }
  });
});
