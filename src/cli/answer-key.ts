import { loadDataset } from '../dataset/load.js';

/** Ground truth per video URL from a local dataset file, so the simulator can answer like a judge of known accuracy. */
export async function loadAnswerKey(
  file: string,
  videoColumn = 'video_url',
  scoreColumn = 'pc',
): Promise<Map<string, number>> {
  const data = await loadDataset({
    dataset: file,
    revision: 'local',
    split: 'test',
    cacheDir: '',
    hfEndpoint: '',
  });
  const key = new Map<string, number>();
  for (const row of data.rows) {
    const url = row[videoColumn];
    const score = Number(row[scoreColumn]);
    if (typeof url === 'string' && Number.isInteger(score) && score >= 1 && score <= 5)
      key.set(url, score);
  }
  return key;
}
