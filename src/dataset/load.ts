/**
 * The one entry point: a value with a data extension is a local file, a value shaped `owner/name`
 * is a Hugging Face Hub dataset, anything else is refused with what was expected.
 */
import { formatOf } from './format.js';
import { isHubId } from './hub-check.js';
import { loadHubDataset } from './hub.js';
import { LOCAL_FORMATS_HINT, loadLocalDataset } from './local.js';
import { DatasetError, type DatasetRequest, type LoadedDataset } from './types.js';

export async function loadDataset(req: DatasetRequest): Promise<LoadedDataset> {
  const value = req.dataset;
  // The extension wins: `data/test.csv` is a file even though it is also shaped owner/name.
  if (formatOf(value)) return loadLocalDataset(req);
  if (isHubId(value)) return loadHubDataset(req);
  throw new DatasetError(`cannot load dataset ${JSON.stringify(value)}: ${LOCAL_FORMATS_HINT}`);
}
