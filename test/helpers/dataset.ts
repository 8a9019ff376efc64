/** Dataset fixtures: the real head of the test set, and Python's csv module as an independent reader. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const FIXTURE_CSV = fileURLToPath(
  new URL('../fixtures/videophy2_test_head.csv', import.meta.url),
);

/** Rows of a CSV file as Python's csv.DictReader reads them (a second, unrelated implementation). */
export function pythonCsvRows(path: string): Record<string, string>[] {
  const script = [
    'import csv, json, sys',
    "with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:",
    '    r = csv.reader(f)',
    '    header = next(r)',
    '    print(json.dumps({"header": header, "rows": [dict(zip(header, row)) for row in r]}))',
  ].join('\n');
  const out = execFileSync('python3', ['-c', script, path], { encoding: 'utf8' });
  return (JSON.parse(out) as { rows: Record<string, string>[] }).rows;
}

export function pythonCsvHeader(path: string): string[] {
  const script =
    "import csv, json, sys\nwith open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n" +
    '    print(json.dumps(next(csv.reader(f))))';
  return JSON.parse(
    execFileSync('python3', ['-c', script, path], { encoding: 'utf8' }),
  ) as string[];
}
