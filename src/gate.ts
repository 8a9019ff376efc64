import { join } from 'node:path';
import type { Config } from './config/config.js';
import { makeBaselineFile, type BaselineData } from './core/baseline.js';
import { computeMetrics } from './core/metrics.js';
import { PARSER_ID } from './core/parse-score.js';
import { renderReport } from './core/report.js';
import { buildRequestBody } from './core/request.js';
import { describeRows, selectRows } from './core/rows.js';
import { stratifiedSubset } from './core/subset.js';
import { buildSummary, type RunSettings, type ServerInfo, type Summary } from './core/summary.js';
import { decideVerdict } from './core/verdict.js';
import { loadDataset } from './dataset/load.js';
import type { LoadedDataset } from './dataset/types.js';
import { readBaseline } from './io/baseline-file.js';
import { writeJsonFile } from './io/json-file.js';
import { readPrompt } from './io/prompt-file.js';
import { ResultsFile } from './io/results-file.js';
import type { Logger } from './run/logger.js';
import { scoreVideos } from './run/score-videos.js';
import { VllmClient, redactUrl } from './vllm/client.js';
import { waitForServer } from './vllm/wait.js';

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

/** Ask the server which model it serves; a configured name must be among them. */
async function resolveModel(
  client: VllmClient,
  wanted: string | undefined,
): Promise<{ model: string; server: Omit<ServerInfo, 'base_url' | 'vllm_version'> }> {
  const models = await client.models();
  if (models.length === 0)
    throw new Error('GET /v1/models lists no model: the server serves nothing');
  const found = wanted === undefined ? models[0] : models.find((m) => m.id === wanted);
  if (!found) {
    throw new Error(
      `model '${wanted}' is not served by this server; it serves: ${models.map((m) => `'${m.id}'`).join(', ')} (set the 'model' input to one of them, or leave it empty)`,
    );
  }
  return { model: found.id, server: { max_model_len: found.maxModelLen, root: found.root } };
}

function loadItems(config: Config, data: LoadedDataset, log: Logger) {
  const selection = selectRows(data.rows, config.videoColumn, config.scoreColumn);
  if (data.rows.length === 0)
    throw new Error(`dataset ${data.id} (${data.files.join(', ')}) has no rows`);
  for (const col of [config.videoColumn, config.scoreColumn]) {
    if (!data.columns.includes(col)) {
      throw new Error(
        `dataset ${data.id} has no column '${col}' (columns: ${data.columns.map((c) => `'${c}'`).join(', ')}); set video-column / score-column`,
      );
    }
  }
  if (selection.skipped.length > 0) {
    const reasons = [...new Set(selection.skipped.map((s) => s.reason))].slice(0, 5).join('; ');
    log.warning(
      `dataset ${data.id}: skipped ${selection.skipped.length} invalid ${describeRows(selection.skipped)} (${reasons})`,
    );
  }
  if (selection.duplicates.length > 0) {
    log.warning(
      `dataset ${data.id}: skipped ${selection.duplicates.length} duplicate ${describeRows(selection.duplicates)} (same video URL as an earlier row)`,
    );
  }
  const items = stratifiedSubset(selection.items, config.limit, config.subsetSeed);
  return { ...selection, items };
}

/** The whole gate: prompt, baseline, dataset and server first (fail fast), then score, decide and write. */
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

  const client = new VllmClient({
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    timeoutMs: config.requestTimeoutS * 1000,
    maxRetries: config.maxRetries,
  });
  try {
    // The dataset downloads while the server loads its weights.
    const [data] = await Promise.all([
      loadDataset({
        dataset: config.dataset,
        revision: config.datasetRevision,
        split: config.split,
        cacheDir: config.hub.cacheDir,
        hfEndpoint: config.hub.endpoint,
        hfToken: config.hub.token,
        offline: config.hub.offline,
      }),
      waitForServer(client, config.serverTimeoutS, log),
    ]);
    for (const note of data.notes) log.info(note);
    const { items, skipped, duplicates } = loadItems(config, data, log);
    const { model, server: modelInfo } = await resolveModel(client, config.model);
    const server: ServerInfo = {
      base_url: redactUrl(config.baseUrl),
      vllm_version: await client.version(),
      ...modelInfo,
    };
    log.info(
      `Scoring ${items.length} videos with ${model} (vLLM ${server.vllm_version ?? 'version unknown'}) at concurrency ${config.concurrency}`,
    );

    const outcome = await scoreVideos({
      items,
      concurrency: config.concurrency,
      client,
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
    const settings: RunSettings = {
      model,
      dataset: config.dataset,
      dataset_revision: data.revision,
      dataset_resolved_revision: data.resolvedRevision ?? null,
      split: config.split,
      video_column: config.videoColumn,
      score_column: config.scoreColumn,
      prompt_file: promptPath,
      prompt_sha256: prompt.sha256,
      parser: PARSER_ID,
      fps: config.sampling.fps,
      total_pixels: config.sampling.totalPixels,
      max_tokens: config.sampling.maxTokens,
      temperature: config.sampling.temperature,
      sampling_seed: config.sampling.seed,
      extra_body: config.sampling.extraBody,
      limit: config.limit,
      subset_seed: config.subsetSeed,
    };
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
      settings,
      server,
      startedAt,
      finishedAt,
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
    await client.close();
  }
}
