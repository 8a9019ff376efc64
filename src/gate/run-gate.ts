import { accessSync, constants, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config/config.js';
import type { BaselineData } from '../core/baseline.js';
import { buildRequestBody, defaultVision } from '../core/request.js';
import { visionRequest } from '../vision/index.js';
import { VISION_RULE } from '../vision/rule.js';
import { checkFidelity } from '../fidelity/guard.js';
import { timestampWarning } from '../fidelity/version.js';
import type { ServerInfo } from '../core/summary.js';
import { loadDataset } from '../dataset/load.js';
import type { LoadedDataset } from '../dataset/types.js';
import { readPrompt } from '../io/prompt-file.js';
import { ResultsFile } from '../io/results-file.js';
import { markRunning } from '../io/output-dir.js';
import { loadBaseline } from '../baseline/load.js';
import { writeRunFile } from '../io/run-file.js';
import type { Logger } from '../log.js';
import { scoreVideos } from '../scoring/score-videos.js';
import { formatShard, selectShard } from '../shard/index.js';
import { settingsFingerprint } from '../settings/fingerprint.js';
import { connectEndpoints, type Connected } from '../vllm/endpoints.js';
import { startOwnedServer, type OwnedServer } from '../server/owned.js';
import { checkComparable } from '../settings/check-baseline.js';
import { decisionMode } from './decide.js';
import { finishRun, type GateOutcome } from './finish.js';
import { selectItems } from '../dataset/items.js';
import { planOutputDir } from '../resume/output-dir.js';
import { runSettings } from '../settings/run-settings.js';
import { videoSource } from '../video-cache/source.js';
import { describeStop, resumeStopEarly, startStopEarly } from './stop-early.js';

export type { GateOutcome } from './finish.js';

export interface GateDeps {
  log: Logger;
  /** Cancellation of the job (SIGTERM/SIGINT): what finished is kept and the run ends as a partial error. */
  signal?: AbortSignal;
}

/**
 * The dataset downloads while the servers load their weights (or while the gate starts vLLM itself). A
 * dataset failure stops the wait at once (fail fast); whatever started is stopped before the error goes up.
 */
async function loadAndConnect(
  config: Config,
  log: Logger,
  signal?: AbortSignal,
): Promise<{ data: LoadedDataset; connected: Connected; owned?: OwnedServer }> {
  const stopWaiting = new AbortController();
  const onCancel = (): void => stopWaiting.abort();
  signal?.addEventListener('abort', onCancel, { once: true });
  let owned: OwnedServer | undefined;
  const servers = async (): Promise<Connected> => {
    let baseUrls = config.baseUrls;
    if (config.server) {
      owned = await startOwnedServer(config, log, stopWaiting.signal);
      baseUrls = [owned.managed.baseUrl];
    }
    return connectEndpoints(
      {
        baseUrls,
        apiKey: config.apiKey,
        model: owned ? owned.managed.servedModelName : config.model,
        requestTimeoutS: config.requestTimeoutS,
        maxRetries: config.maxRetries,
        serverTimeoutS: config.serverTimeoutS,
        // startOwnedServer waited for its server already.
        ready: owned !== undefined,
      },
      log,
      stopWaiting.signal,
    );
  };
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
    servers(),
  ]);
  signal?.removeEventListener('abort', onCancel);
  if (data.status === 'rejected' || connected.status === 'rejected') {
    if (connected.status === 'fulfilled') await connected.value.close();
    await owned?.stop();
    throw data.status === 'rejected' ? data.reason : (connected as PromiseRejectedResult).reason;
  }
  return { data: data.value, connected: connected.value, owned };
}

/** The output directory, and where a baseline will be written, are checked before any GPU time is spent. */
export function checkOutputDir(config: Config): void {
  const probe = join(config.outputDir, '.write-check');
  new ResultsFile(probe).close();
  rmSync(probe, { force: true });
  const baselineTarget =
    config.writeBaseline ?? (config.updateBaseline ? config.baselinePath : undefined);
  if (baselineTarget) {
    const input = config.writeBaseline ? 'write-baseline' : 'baseline';
    try {
      mkdirSync(dirname(baselineTarget), { recursive: true });
      accessSync(dirname(baselineTarget), constants.W_OK);
    } catch (e) {
      throw new Error(
        `'${input}': cannot write the baseline to ${baselineTarget}: ${(e as Error).message}`,
      );
    }
  }
}

/**
 * The gate (mode eval): prompt, baseline, output directory, dataset and servers first (fail fast); then
 * resume what an interrupted run left, score the rest, decide and write.
 */
export async function runGate(config: Config, deps: GateDeps): Promise<GateOutcome> {
  const { log } = deps;
  const startedAt = new Date();
  // First of all: no earlier verdict may survive this run, whatever stops it (a bad prompt or baseline too).
  checkOutputDir(config);
  const previousSummary = markRunning(config.outputDir, startedAt);
  const { prompt, path: promptPath } = readPrompt(config.promptFile);
  const baseline: BaselineData | null = loadBaseline(config, log);
  const resultsPath = join(config.outputDir, 'results.jsonl');
  const { data, connected, owned } = await loadAndConnect(config, log, deps.signal);
  let results: ResultsFile | undefined;
  try {
    for (const note of data.notes) log.info(note);
    const selection = selectItems(config, data, log);
    // The raw rows (long captions, rule lists) are not needed once the items are chosen: free them for the
    // hours of scoring (about a third of the live heap per video otherwise).
    const numRows = data.rows.length;
    data.rows = [];
    const items = config.shard
      ? selectShard(selection.items, config.shard.i, config.shard.n)
      : selection.items;
    if (config.shard)
      log.info(
        `Shard ${formatShard(config.shard)}: ${items.length} of ${selection.items.length} videos`,
      );
    const { model, modelInfo, endpoints } = connected;
    const server: ServerInfo = {
      base_url: endpoints.map((e) => e.name).join(', '),
      vllm_version: connected.vllmVersion,
      max_model_len: modelInfo.maxModelLen,
      root: modelInfo.root,
      ...(owned
        ? {
            command_line: owned.record.command_line,
            ...(owned.record.gpu ? { gpu: owned.record.gpu } : {}),
          }
        : {}),
    };
    // One request builder for the settings record, the fidelity probes and the scored videos; a video of
    // unknown size gets the default pixel limit (what the run settings record as sent).
    const bodyFor = (url: string, vision = defaultVision(config.sampling)) =>
      buildRequestBody(model, prompt, url, config.sampling, vision);
    const template = bodyFor('video');
    const settings = runSettings(config, data, prompt, promptPath, model, template, VISION_RULE);
    decisionMode(config, baseline); // a significance decision without per-video baseline is refused now
    const early = startStopEarly(config, items, baseline, numRows, log); // so is stop-early without one
    const comparability = checkComparable(config, baseline, settings, server.vllm_version, log);
    const stale = timestampWarning(server.vllm_version);
    if (stale) log.warning(stale);
    // Before any GPU time goes to scoring: does each server show the model the frames asked for?
    if (config.fidelityCheck) {
      server.fidelity = await checkFidelity(
        endpoints,
        (url) => bodyFor(url),
        config.sampling.totalPixels,
        log,
        deps.signal,
      );
    }
    const plan = planOutputDir(
      config.outputDir,
      resultsPath,
      settings,
      items,
      log,
      previousSummary,
    );
    // stop-early: the rest in the look order, after the kept rows went through the looks.
    const todo = early ? resumeStopEarly(early, plan.keep, plan.todo, log) : plan.todo;
    results = new ResultsFile(resultsPath, { append: plan.append });
    writeRunFile(config.outputDir, {
      schema: 'videophy-gate/run',
      version: 1,
      settings,
      fingerprint: settingsFingerprint(settings),
      shard: config.shard,
      items: items.map((i) => i.videoUrl),
      num_rows: numRows,
      server,
      started_at: startedAt.toISOString(),
      ...(early
        ? {
            stop_early: {
              order: [...early.options.order],
              alpha: early.options.alpha,
              stop_on: [...(early.options.stopOn ?? ['regression', 'improvement', 'pass'])],
              ...(early.options.label ? { label: early.options.label } : {}),
            },
          }
        : {}),
    });
    log.info(
      `Scoring ${todo.length} videos with ${model} (vLLM ${server.vllm_version ?? 'version unknown'}) on ${endpoints.length} endpoint${endpoints.length > 1 ? 's' : ''}, concurrency ${config.concurrency}${endpoints.length > 1 ? ' each' : ''}`,
    );
    const videos = videoSource(config, todo, log);
    const sink = results;
    const outcome = await scoreVideos({
      items: todo,
      endpoints,
      concurrency: config.concurrency,
      buildBody: async (item) => {
        const video = await videos.prepare(item);
        // Exact per-video limits when the cache knows the video's frames; 2 x total-pixels otherwise.
        return bodyFor(video.url, visionRequest(video.meta, config.sampling).request);
      },
      onResult: (row) => sink.append(row),
      fatal: (error) => videos.fatal(error),
      maxErrors: Math.floor(config.thresholds.maxErrorRate * items.length),
      log,
      signal: deps.signal,
      // Each endpoint scored on (with checkpoint: the owned server) reads its own /metrics.
      watchLoad: { pollS: config.concurrency === 'auto' ? 5 : 60 },
      ...(early
        ? {
            stopWhen: (row) => {
              const d = early.monitor.add(row);
              return d && describeStop(d, early.options.design.planned);
            },
          }
        : {}),
    }).finally(async () => {
      await videos.close();
    });
    if (outcome.stoppedEarly)
      log.info(
        `stop-early: ${outcome.stoppedEarly}; ${outcome.cancelled} request${outcome.cancelled === 1 ? '' : 's'} in flight cancelled, the results so far are kept`,
      );
    return await finishRun(
      config,
      {
        rows: [...plan.keep, ...outcome.rows],
        baseline,
        numRows,
        skipped: selection.skipped,
        duplicates: selection.duplicates,
        errorsByKind: outcome.errorsByKind,
        complete: outcome.rows.length === todo.length && outcome.runError === undefined,
        ...(early
          ? {
              sequential: early.options,
              stoppedEarly: early.monitor.result().stopped !== undefined,
            }
          : {}),
        runError:
          outcome.runError && owned?.exitNote()
            ? `${outcome.runError}. ${owned.exitNote()}`
            : outcome.runError,
        settings,
        server,
        startedAt,
        scoringS: outcome.scoringS,
        removedEndpoints: outcome.removedEndpoints,
        resumed: plan.keep.length,
        shard: config.shard ? formatShard(config.shard) : null,
        comparability,
      },
      log,
    );
  } finally {
    results?.close();
    await connected.close();
    await owned?.stop();
  }
}
