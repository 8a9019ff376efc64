import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useColor } from '../../src/cli/output.js';
import type { BaselineFile } from '../../src/core/baseline.js';
import type { Summary } from '../../src/core/summary.js';
import { plain, renderTerminal, verdictLine } from '../../src/report/terminal.js';

// The bundled baseline's summary: a real no-baseline run of the demo.
const file = JSON.parse(readFileSync('examples/baseline.json', 'utf8')) as BaselineFile;
const summary: Summary = file.summary;

describe('the terminal report', () => {
  it('without a baseline: the verdict first, then what was measured', () => {
    const text = renderTerminal(summary, { color: false });
    const lines = text.split('\n');
    expect(lines[0]).toBe(`VideoPhy-2 gate: ${summary.verdict} (${summary.decision} decision)`);
    const accuracy = (summary.accuracy ?? NaN).toFixed(4).replace('.', '\\.');
    expect(text).toMatch(new RegExp(`^accuracy +- +${accuracy} +- +- +- +-$`, 'm'));
    expect(text).toMatch(/^parse rate +- +1\.0000/m);
  });

  it('colour only when asked: ANSI codes around the verdict, none otherwise', () => {
    const coloured = renderTerminal({ ...summary, verdict: 'regression' }, { color: true });
    expect(coloured.split('\n')[0]).toContain('\x1b[1m\x1b[31mregression\x1b[0m');
    expect(renderTerminal(summary, { color: false })).not.toContain('\x1b');
    expect(verdictLine('regression', 1, true)).toBe(
      'verdict: \x1b[1m\x1b[31mregression\x1b[0m (exit 1)',
    );
    expect(verdictLine('pass', 0)).toBe('verdict: pass (exit 0)');
  });

  it('colour needs a terminal and NO_COLOR unset or empty (no-color.org)', () => {
    expect(useColor({}, true)).toBe(true);
    expect(useColor({ NO_COLOR: '' }, true)).toBe(true);
    expect(useColor({ NO_COLOR: '1' }, true)).toBe(false);
    expect(useColor({}, false)).toBe(false);
    expect(useColor({}, undefined)).toBe(false);
  });

  it('strings from an untrusted summary cannot drive the terminal', () => {
    expect(plain('ok\x1b]0;owned\x07 \x1b[2Jdone')).toBe('ok ]0;owned   [2Jdone');
    const evil = {
      ...summary,
      reasons: ['\x1b[2Jcleared'],
      settings: { ...summary.settings, model: 'm\x1b[31m' },
    };
    expect(renderTerminal(evil, { color: false })).not.toContain('\x1b');
  });

  it('lists the files given, labels aligned', () => {
    const text = renderTerminal(summary, {
      color: false,
      files: [
        { label: 'results', path: 'out/results.jsonl' },
        { label: 'baseline written', path: 'b.json' },
      ],
    });
    expect(text.split('\n').slice(-2)).toEqual([
      'results           out/results.jsonl',
      'baseline written  b.json',
    ]);
  });
});
