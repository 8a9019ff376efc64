import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { makeBaselineFile, type BaselineData } from '../core/baseline.js';
import { computeMetrics } from '../core/metrics.js';
import { renderReport } from '../core/report.js';
import { buildRequestBody } from '../core/request.js';
import { buildSummary, type ServerInfo, type Summary } from '../core/summary.js';
import { decideVerdict } from '../core/verdict.js';
import { loadDataset } from '../dataset/load.js';
import type { LoadedDataset } from '../dataset/types.js';
import { readBaseline } from '../io/baseline-file.js';
import { writeJsonFile } from '../io/json-file.js';
import { readPrompt } from '../io/prompt-file.js';
import { ResultsFile } from '../io/results-file.js';
import type { Logger } from '../run/logger.js';
import { scoreVideos } from '../run/score-videos.js';
import { connectEndpoints, type Connected } from '../vllm/endpoints.js';
import { selectItems } from './items.js';
import { runSettings } from './settings.js';

export interface GateOutcome {
  summary: Summary;
  summaryPath: string;
  resultsPath: string;
  baselineWritten?: string;
  report: string;
}

export interface GateDeps {
  log: Logger;
  /** Cancellation of the job (SIGTERM/SIGINT): what finished is kept and the run ends as a partial error. */
  signal?: AbortSignal;
}

/**
 * The dataset downloads while the servers load their weights. A dataset failure stops the wait at once
 * (fail fast); whatever connected is handed back so the caller closes it.
 */
async function loadAndConnect(
  config: Config,
  log: Logger,
): Promise<{ data: LoadedDataset; connected: Connected }> {
  const stopWaiting = new AbortController();
  const [data, connected] = await Promise.allSettled([
    loadDataset({
      dataset: config.dataset,
      revision: config.datasetRevision,
      split: config.split,
      cacheDir: config.hub.cacheDir,
      hfEndpoint: config.hub.endpoint,
      hfToken: config.hub.token,
      offline: config.hub.offline,
    }).catch((e: unknown) => {
      stopWaiting.abort();
      throw e;
    }),
    connectEndpoints(
      {
        baseUrls: config.baseUrls,
        apiKey: config.apiKey,
        model: config.model,
        requestTimeoutS: config.requestTimeoutS,
        maxRetries: config.maxRetries,
        serverTimeoutS: config.serverTimeoutS,
      },
      log,
      stopWaiting.signal,
    ),
  ]);
  if (data.status === 'rejected') {
    if (connected.status === 'fulfilled') await connected.value.close();
    throw data.reason;
  }
  if (connected.status === 'rejected') throw connected.reason;
  return { data: data.value, connected: connected.value };
}

/** The whole gate: prompt, baseline, output, dataset and servers first (fail fast), then score, decide, write. */
export async function runGate(config: Config, deps: GateDeps): Promise<GateOutcome> {
  const { log } = deps;
  const startedAt = new Date();
  const { prompt, path: promptPath } = readPrompt(config.promptFile);
  const baseline: BaselineData | null = readBaseline(config.baselinePath);
  if (!baseline)
    log.notice(
      `No baseline at ${config.baselinePath}: the verdict will be no-baseline (write one with write-baseline).`,
    );
  const resultsPath = join(config.outputDir, 'results.jsonl');
  const summaryPath = join(config.outputDir, 'summary.json');
  const results = new ResultsFile(resultsPath);
  let connected: Connected | undefined;
  try {
    const loaded = await loadAndConnect(config, log);
    connected = loaded.connected;
    const { data } = loaded;
    for (const note of data.notes) log.info(note);
    const { items, skipped, duplicates } = selectItems(config, data, log);
    const { model, modelInfo, endpoints } = connected;
    const server: ServerInfo = {
      base_url: endpoints.map((e) => e.name).join(', '),
      vllm_version: connected.vllmVersion,
      max_model_len: modelInfo.maxModelLen,
      root: modelInfo.root,
    };
    log.info(
      `Scoring ${items.length} videos with ${model} (vLLM ${server.vllm_version ?? 'version unknown'}) on ${endpoints.length} endpoint${endpoints.length > 1 ? 's' : ''}, concurrency ${config.concurrency}${endpoints.length > 1 ? ' each' : ''}`,
    );

    const outcome = await scoreVideos({
      items,
      endpoints,
      concurrency: config.concurrency,
      buildBody: (item) => buildRequestBody(model, prompt, item.requestUrl, config.sampling),
      onResult: (row) => results.append(row),
      maxErrors: Math.floor(config.thresholds.maxErrorRate * items.length),
      log,
      signal: deps.signal,
    });

    const metrics = computeMetrics(outcome.rows);
    const numRows = data.rows.length;
    const verdict = decideVerdict({
      metrics,
      baseline,
      thresholds: config.thresholds,
      numRows,
      numSkipped: skipped.length,
      runError:
        outcome.runError ??
        (outcome.complete ? undefined : 'the run ended before every video was scored'),
    });
    const finishedAt = new Date();
    const summary = buildSummary({
      metrics,
      verdict,
      numRows,
      skipped,
      duplicates,
      errorsByKind: outcome.errorsByKind,
      complete: outcome.complete,
      runError: outcome.runError,
      settings: runSettings(config, data, prompt, promptPath, model),
      server,
      startedAt,
      finishedAt,
      scoringS: outcome.scoringS,
      removedEndpoints: outcome.removedEndpoints,
    });
    writeJsonFile(summaryPath, summary);
    let baselineWritten: string | undefined;
    if (config.writeBaseline) {
      if (summary.verdict === 'error') {
        log.warning(
          `Not writing a baseline to ${config.writeBaseline}: this run ended in error and its numbers are not a baseline.`,
        );
      } else {
        writeJsonFile(config.writeBaseline, makeBaselineFile(summary, outcome.rows, finishedAt));
        baselineWritten = config.writeBaseline;
      }
    }
    return { summary, summaryPath, resultsPath, baselineWritten, report: renderReport(summary) };
  } finally {
    results.close();
    await connected?.close();
  }
}
