/** Public surface of the dataset module: load a dataset (local file or Hub) and its types. */
export { loadDataset } from './load.js';
export { DatasetError } from './types.js';
export type { DatasetRequest, LoadedDataset, ParsedTable, RawRow } from './types.js';
