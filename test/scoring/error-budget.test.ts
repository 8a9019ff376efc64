import { describe, expect, it } from 'vitest';
import type { ResultRow } from '../../src/core/types.js';
import { ErrorBudget } from '../../src/scoring/error-budget.js';

const row = (over: Partial<ResultRow>): ResultRow => ({
  video_url: 'v',
  ground_truth: 3,
  output_text: '3',
  pred_score: 3,
  index: 0,
  latency_ms: 1,
  finish_reason: 'stop',
  usage: null,
  error: null,
  meta: {},
  ...over,
});

const failed = (kind: 'http_5xx' | 'timeout', message = 'boom'): ResultRow =>
  row({ output_text: null, pred_score: null, error: { kind, message } });

describe('ErrorBudget', () => {
  it('counts errors by kind and unparsed replies; answers do not spend the budget', () => {
    const b = new ErrorBudget(5, 100);
    expect(b.count(row({}))).toBeUndefined();
    expect(b.count(row({ pred_score: null }))).toBeUndefined();
    expect(b.count(failed('http_5xx'))).toBeUndefined();
    expect(b.count(failed('timeout'))).toBeUndefined();
    expect(b.count(failed('timeout'))).toBeUndefined();
    expect({ errors: b.errors, unparsed: b.unparsed, byKind: b.byKind }).toEqual({
      errors: 3,
      unparsed: 1,
      byKind: { http_5xx: 1, timeout: 2 },
    });
  });

  it('says stop at the first error beyond the budget, naming the budget and the last error', () => {
    const b = new ErrorBudget(2, 40);
    expect(b.count(failed('http_5xx'))).toBeUndefined();
    expect(b.count(failed('http_5xx'))).toBeUndefined();
    expect(b.count(failed('timeout', 'no answer in 600 s'))).toBe(
      '3 requests failed after retries, more than max-error-rate allows (2 of 40); stopped early. Last error: no answer in 600 s',
    );
  });

  it('a budget of 0 stops at the first error', () => {
    expect(new ErrorBudget(0, 10).count(failed('http_5xx'))).toMatch(/^1 requests failed/);
  });
});
