import { describe, expect, it } from 'vitest';
import { exitDecision } from '../../src/verdict/exit.js';
import type { Verdict } from '../../src/core/verdict.js';

const VERDICTS: Verdict[] = [
  'pass',
  'improvement',
  'regression',
  'inconclusive',
  'no-baseline',
  'error',
];
const reasons = ['accuracy dropped 0.0500', 'second reason'];

describe('exitDecision: every verdict under every policy', () => {
  for (const verdict of VERDICTS) {
    for (const failOnRegression of [true, false]) {
      for (const failOnInconclusive of [true, false]) {
        it(`${verdict}, fail-on-regression ${failOnRegression}, fail-on-inconclusive ${failOnInconclusive}`, () => {
          const d = exitDecision({ verdict, reasons }, { failOnRegression, failOnInconclusive });
          const fails =
            verdict === 'error' ||
            (verdict === 'regression' && failOnRegression) ||
            (verdict === 'inconclusive' && failOnInconclusive);
          expect(d.fail).toBe(fails);
          expect(d.status).toBe(!fails ? 'ok' : verdict === 'regression' ? 'regression' : 'error');
          expect(d.level).toBe(
            fails
              ? 'failed'
              : verdict === 'regression'
                ? 'warning'
                : verdict === 'inconclusive'
                  ? 'notice'
                  : 'none',
          );
        });
      }
    }
  }

  it('words each message as the job log shows it', () => {
    const on = { failOnRegression: true, failOnInconclusive: true };
    const off = { failOnRegression: false, failOnInconclusive: false };
    expect(exitDecision({ verdict: 'regression', reasons }, on).message).toBe(
      'VideoPhy-2 regression: accuracy dropped 0.0500; second reason',
    );
    expect(exitDecision({ verdict: 'regression', reasons }, off).message).toMatch(
      /\(fail-on-regression is false\)$/,
    );
    expect(exitDecision({ verdict: 'inconclusive', reasons }, on).message).toBe(
      'VideoPhy-2 inconclusive: accuracy dropped 0.0500',
    );
    expect(exitDecision({ verdict: 'inconclusive', reasons }, off).message).toMatch(
      /\(fail-on-inconclusive is false\)$/,
    );
    expect(exitDecision({ verdict: 'error', reasons }, off).message).toBe(
      'Infrastructure error, not a model regression: accuracy dropped 0.0500; second reason',
    );
    expect(exitDecision({ verdict: 'pass', reasons }, on).message).toBeUndefined();
  });
});
