/** Prints action.yml from the inputs table (npm run action-yml > action.yml); a test checks they agree. */
import { INPUTS, OUTPUTS } from '../src/config/inputs.js';

const q = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const lines = [
  '# Generated from src/config/inputs.ts by `npm run action-yml`; edit the table, not this file.',
  'name: videophy-gate',
  'description: Gate video-critic checkpoints on VideoPhy-2 (accuracy and Pearson vs. a stored baseline), scored through a vLLM server.',
  'author: videophy-gate',
  'branding:',
  '  icon: check-circle',
  '  color: green',
  'inputs:',
];
for (const i of INPUTS) {
  lines.push(
    `  ${i.name}:`,
    `    description: ${q(i.description)}`,
    `    required: ${'required' in i && i.required ? 'true' : 'false'}`,
  );
  if (i.default !== '') lines.push(`    default: ${q(i.default)}`);
}
lines.push('outputs:');
for (const o of OUTPUTS) lines.push(`  ${o.name}:`, `    description: ${q(o.description)}`);
lines.push('runs:', '  using: node24', '  main: dist/index.js', '  post: dist/post/index.js');
console.log(lines.join('\n'));
