import type { ResultRow } from '../core/types.js';

/**
 * Counts what the recorded rows say (errors by kind, replies without a score) and says when the run can
 * only end as an error: more failed requests than max-error-rate allows. Stopping then saves the GPU time
 * the remaining videos would take to prove nothing.
 */
export class ErrorBudget {
  errors = 0;
  unparsed = 0;
  readonly byKind: Record<string, number> = {};

  constructor(
    /** Failed requests the run may have and still decide. */
    private readonly maxErrors: number,
    /** Videos in the run, for the message. */
    private readonly total: number,
  ) {}

  /** Count one recorded row; the message to stop with once the budget is spent, else undefined. */
  count(row: ResultRow): string | undefined {
    if (!row.error) {
      if (row.pred_score === null) this.unparsed++;
      return undefined;
    }
    this.errors++;
    this.byKind[row.error.kind] = (this.byKind[row.error.kind] ?? 0) + 1;
    if (this.errors <= this.maxErrors) return undefined;
    return `${this.errors} requests failed after retries, more than max-error-rate allows (${this.maxErrors} of ${this.total}); stopped early. Last error: ${row.error.message}`;
  }
}
