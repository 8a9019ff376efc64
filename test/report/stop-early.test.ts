import { describe, expect, it } from 'vitest';
import type { Summary } from '../../src/core/summary.js';
import { headline, stopEarlyText } from '../../src/report/sections/headline.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { makeInput, videos } from '../helpers/report-input.js';

const base = makeInput(videos(60)).summary;
const withLook = (sequential: unknown): Summary =>
  ({
    ...base,
    complete: false,
    significance: { ...(base.significance ?? {}), sequential },
  }) as Summary;
const LOOK = {
  look: 4,
  looks: 20,
  videos: 680,
  planned: 3397,
  stopped: true,
  spending: 'Hwang-Shih-DeCani alpha spending, gamma -4',
  boundaries: { family: 3.3, pass: 3.1 },
  looks_taken: 4,
  saved: { videos: 2700, seconds: 2820 },
};

describe('the stop-early line of the report', () => {
  it('a run that stopped says where, on which videos, and the GPU time saved; not "partial"', () => {
    const md = headline(withLook(LOOK));
    expect(md).toContain(
      "> Stopped early (stop-early): decided at look 4 of 20, on the first 680 of 3,397 videos of a seeded order stratified by human score; about 47 min 0 s of GPU time saved (2,700 videos not scored, at this run's measured throughput).",
    );
    expect(md).not.toMatch(/Partial run/);
    expect(renderTerminal(withLook(LOOK), { color: false })).toContain(
      'Stopped early (stop-early): decided at look 4 of 20',
    );
  });

  it('a run that went to the last look says so; a merge (no throughput) gives the videos only', () => {
    expect(
      stopEarlyText(
        withLook({ ...LOOK, look: 20, videos: 3397, stopped: false, saved: undefined }),
      ),
    ).toBe(
      'stop-early: no look before the last was certain; decided at look 20 of 20, on the first 3,397 of 3,397 videos of a seeded order stratified by human score.',
    );
    expect(stopEarlyText(withLook({ ...LOOK, saved: { videos: 2700, seconds: null } }))).toMatch(
      /; 2,700 videos not scored\.$/,
    );
  });

  it('a summary.json of another version or a hostile one gives no line, not a crash', () => {
    expect(stopEarlyText(base)).toBeNull();
    expect(stopEarlyText(withLook({ look: '4<script>', planned: 3397 }))).toBeNull();
    expect(headline(withLook({ ...LOOK, looks: '<b>' }))).not.toContain('<b>');
  });
});
