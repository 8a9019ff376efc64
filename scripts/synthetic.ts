/**
 * Synthetic VideoPhy-2 rows in the real schema (header exactly as published, empty column included), for the
 * benchmark, the demo sample and tests. URLs carry the characters the real set has: spaces, unicode, ; , ' +.
 */
export const VIDEOPHY2_HEADER = [
  'caption',
  'video_url',
  'sa',
  'pc',
  'joint',
  'action',
  'is_hard',
  'physics_rules_followed',
  'physics_rules_unfollowed',
  'physics_rules_cannot_be_determined',
  'human_violated_rules',
  'model_name',
  'category',
  '',
  'metadata_rules',
  'upsampled_caption',
];

/** Generators and their share of the real test set (videophy2.md). */
const GENERATORS: [string, string, number][] = [
  ['wan', 'wan_videophy2_test_hard_upsampled', 591],
  ['videocrafter', 'videocrafter_videophy2_hard', 591],
  ['cogvideo', 'cogvideoX5b_hard_upsampled', 589],
  ['hunyuan', 'hunyuan_xdit', 587],
  ['cosmos', 'cosmos_videophy2_test_challenging', 585],
  ['ray2', '', 394],
  ['sora', 'sora_hard_videophy2', 60],
];
const SUBJECTS = [
  'A yo-yo',
  'A bulldozer',
  'A glass of water',
  'A skateboarder',
  'A falling leaf',
  'Two billiard balls',
  'A kite',
  'A wrecking ball',
];
const ACTIONS = [
  'is tossed against a brick wall',
  'pours into a bowl',
  'collides on a table',
  'rolls down a hill',
  'bounces off the floor',
  'swings into a wall',
];
const TAILS = [
  '; it bounces back',
  ", it's intact",
  ' + sparks fly',
  ' — slowly',
  ', then stops',
  '’s shadow moves',
  '',
];
/** Rough human pc distribution (1..5). */
const PC_WEIGHTS = [0.08, 0.17, 0.27, 0.33, 0.15];

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)] as T;
}

function weighted(rand: () => number, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = rand() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i] ?? 0;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

export function syntheticRows(n: number, seed = 0): Record<string, string>[] {
  const rand = mulberry32(seed);
  const rows: Record<string, string>[] = [];
  for (let i = 0; i < n; i++) {
    const [generator, folder] =
      GENERATORS[
        weighted(
          rand,
          GENERATORS.map((g) => g[2]),
        )
      ] ?? (['wan', 'wan', 1] as [string, string, number]);
    const caption = `${pick(rand, SUBJECTS)} ${pick(rand, ACTIONS)}${pick(rand, TAILS)} #${i}.`;
    const id = `${i.toString(16).padStart(8, '0')}-${Math.floor(rand() * 1e8).toString(16)}`;
    const video_url =
      generator === 'ray2'
        ? `https://storage.cdn-luma.com/dream_machine/${id}/${id}_result.mp4`
        : `https://videophysics2testvideos.s3.us-east-2.amazonaws.com/${folder}/${caption.replace(/ /g, i % 17 === 0 ? ' ' : '_')}.mp4`;
    const pc = 1 + weighted(rand, PC_WEIGHTS);
    const sa = 1 + weighted(rand, [0.05, 0.1, 0.2, 0.35, 0.3]);
    rows.push({
      caption,
      video_url,
      sa: String(sa),
      pc: String(pc),
      joint: sa >= 4 && pc >= 4 ? '1' : '0',
      action: caption.split(' ')[1] ?? '',
      is_hard: rand() < 0.3 ? '1' : '0',
      physics_rules_followed: "['Objects fall under gravity.']",
      physics_rules_unfollowed: '[]',
      physics_rules_cannot_be_determined: '[]',
      human_violated_rules: '[]',
      model_name: generator,
      category: rand() < 0.5 ? 'Sports and Physical Activities' : 'Object Interactions',
      '': '',
      metadata_rules: "{'Objects fall under gravity.': 'Gravity'}",
      upsampled_caption: `In a "detailed" scene, ${caption.toLowerCase()}\nThe camera stays still.`,
    });
  }
  return rows;
}

/** RFC 4180: quote fields with commas, quotes or line breaks; double the quotes. CRLF between records. */
export function toCsv(rows: Record<string, string>[], header = VIDEOPHY2_HEADER): string {
  const cell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return (
    [
      header.map(cell).join(','),
      ...rows.map((r) => header.map((h) => cell(r[h] ?? '')).join(',')),
    ].join('\r\n') + '\r\n'
  );
}
