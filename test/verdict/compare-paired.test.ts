import { describe, expect, it } from 'vitest';
import { pairResults } from '../../src/stats/pairing.js';
import { comparePaired } from '../../src/verdict/compare-paired.js';
import { pairedRuns as runs } from '../helpers/paired-runs.js';

describe('comparePaired', () => {
  it('on a 300-video subset with no real change says inconclusive, with the size that would decide it', () => {
    const { candidate, baseline } = runs(3397, 8, { agree: 0.75 });
    const { decision, analysis } = comparePaired(pairResults(candidate.slice(0, 300), baseline), {
      tolerance: { accuracy: 0.02, pearson: 0.02, parseRate: 0.02 },
      datasetSize: 3397,
    });
    expect(analysis.paired).toBe(300);
    expect(decision.verdict).toBe('inconclusive');
    expect(decision.explanation).toMatch(
      /^Inconclusive on 300 paired videos: for accuracy \([-+]0\.\d{3}\) a drop of more than 0\.\d{3} is ruled out; 0\.020 is not, .* about [\d,]+ videos would decide it/,
    );
  });

  it('on the full set finds a real drop a regression', () => {
    const { candidate, baseline } = runs(3397, 9, { agree: 0.8, drop: 0.15 });
    const { decision } = comparePaired(pairResults(candidate, baseline), {
      tolerance: { accuracy: 0.02, pearson: 0.02, parseRate: 0.02 },
      resamples: 500,
    });
    expect(decision.verdict).toBe('regression');
    expect(decision.reasons[0]).toMatch(/^accuracy dropped 0\.0\d\d \(/);
  });
});
