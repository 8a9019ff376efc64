/**
 * npx tsx bench/power.ts: what the significance gate can see. Simulates baseline/candidate pairs with a known
 * true difference (src/stats/power-model.ts: human scores like VideoPhy-2, baseline accuracy 0.40 and
 * Pearson 0.40, checkpoints agreeing on 75% of videos), runs the gate's analysis and decision on each, and
 * prints a markdown table of verdict rates at n = 3,397 (the full test set) and n = 300 (a smoke subset).
 *
 * Environment: POWER_TRIALS (default 1000), POWER_SEED (default 1), POWER_RESAMPLES (default 2000, as the
 * gate), POWER_SIZES (default "3397,300").
 */
import { cpus } from 'node:os';
import { monteCarloSe, simulatePower, type PowerResult } from '../src/stats/power.js';

const trials = Number(process.env.POWER_TRIALS ?? 1000);
const seed = Number(process.env.POWER_SEED ?? 1);
const resamples = Number(process.env.POWER_RESAMPLES ?? 2000);
const sizes = (process.env.POWER_SIZES ?? '3397,300').split(',').map(Number);
const tolerance = { accuracy: 0.02, pearson: 0.02, parseRate: 0.02 };
const alpha = 0.05;

const SCENARIOS: { label: string; acc: number; r: number }[] = [
  { label: 'no change', acc: 0, r: 0 },
  { label: 'accuracy -0.02', acc: 0.02, r: 0 },
  { label: 'accuracy -0.04', acc: 0.04, r: 0 },
  { label: 'Pearson -0.03', acc: 0, r: 0.03 },
  { label: 'Pearson -0.06', acc: 0, r: 0.06 },
];

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

const rows: { n: number; label: string; r: PowerResult }[] = [];
const wall0 = performance.now();
const cpu0 = process.cpuUsage();
for (const n of sizes) {
  for (const s of SCENARIOS) {
    const t0 = performance.now();
    const r = simulatePower({
      n,
      trueAccuracyDrop: s.acc,
      truePearsonDrop: s.r,
      trials,
      seed,
      resamples,
      alpha,
      tolerance,
    });
    rows.push({ n, label: s.label, r });
    process.stderr.write(`n=${n} ${s.label}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
}
const cpu = process.cpuUsage(cpu0);
const wallS = (performance.now() - wall0) / 1000;

const lines = [
  '| videos | true change | regression | regression or inconclusive | inconclusive | pass | improvement | plain threshold: regression |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    ({ n, label, r }) =>
      `| ${n.toLocaleString('en-US')} | ${label} | ${pct(r.rates.regression)} | ${pct(r.flagged)} | ${pct(r.rates.inconclusive)} | ${pct(r.rates.pass)} | ${pct(r.rates.improvement)} | ${pct(r.thresholdRegression)} |`,
  ),
];
const perMetric = [
  '| videos | metric | pass | inconclusive | regression | improvement | mean delta minus CI lower bound |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...rows
    .filter((x) => x.label === 'no change')
    .flatMap(({ n, r }) =>
      (['accuracy', 'pearson'] as const).map((m) => {
        const v = r.metricRates[m];
        return `| ${n.toLocaleString('en-US')} | ${m === 'pearson' ? 'Pearson' : m} | ${pct(v.pass)} | ${pct(v.inconclusive)} | ${pct(v.regression)} | ${pct(v.improvement)} | ${r.meanLowerMargin[m].toFixed(4)} |`;
      }),
    ),
];
const agreement = rows.find((x) => x.label === 'no change')?.r.meanAgreement ?? NaN;
const falseAlarms = rows
  .filter((x) => x.label === 'no change')
  .map(
    ({ n, r }) =>
      `${pct(r.rates.regression)} at n = ${n.toLocaleString('en-US')} (Monte Carlo SE ${pct(monteCarloSe(r.rates.regression, trials))})`,
  )
  .join(', ');
const cpu0Model = cpus()[0]?.model ?? 'unknown CPU';
console.log(lines.join('\n'));
console.log(
  '\nAt no change, each metric on its own (a tolerance below the last column is one this size cannot confirm):\n',
);
console.log(perMetric.join('\n'));
console.log(`
Verdict shares over ${trials} simulated runs per row (seed ${seed}, ${resamples} bootstrap resamples, alpha ${alpha},
tolerance ${tolerance.accuracy} accuracy / ${tolerance.pearson} Pearson). Baseline judge: accuracy 0.40, Pearson
0.40; checkpoints answer alike on ${pct(agreement)} of videos at no change. "Plain threshold" is the point
estimate beyond the tolerance in either metric (decision: threshold). False alarms: ${falseAlarms}; Monte Carlo
SE of a rate p is sqrt(p(1-p)/${trials}), at most ${pct(monteCarloSe(0.5, trials))}.
Machine: ${cpus().length} x ${cpu0Model}, Node ${process.version}; ${wallS.toFixed(0)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU.`);
