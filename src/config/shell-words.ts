/**
 * The shell-like inputs (`vllm-args`, a checkpoint's simulator args): words split as a POSIX shell splits
 * them, with no shell and no expansion, and a flag's value read from the words. Config parses the inputs
 * with these; src/server builds the vllm command line from the words.
 */
/** What a shell would expand or interpret; we run no shell, so passing it on literally would surprise. */
const SHELL_OPERATORS = new Set([';', '|', '&', '<', '>', '(', ')', '`']);
const EXPANSION = /^\$[A-Za-z_{(0-9]/;

const around = (text: string, i: number): string =>
  JSON.stringify(text.slice(Math.max(0, i - 15), i + 15));

/**
 * Split `text` into words as a POSIX shell does, with no expansion and no shell: whitespace (newlines
 * too: a YAML block of arguments is one command) separates words; `#` at the start of a word comments
 * out the rest of the line; '...' is literal; "..." is literal except that a backslash escapes
 * $ ` " \ and newline; a backslash outside quotes escapes the next character (backslash-newline joins
 * lines). Anything a shell would expand or interpret ($VAR, $(...), `...`, ~/, ; | & < > ( )) is an
 * error instead of a silent difference: quote it with '...' to pass it on literally. Positions in
 * errors count from 1.
 */
export function splitArgs(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0)
        throw new Error(`unterminated single quote at position ${i + 1}: ${around(text, i)}`);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      const open = i;
      inWord = true;
      for (i++; ; i++) {
        if (i >= text.length)
          throw new Error(
            `unterminated double quote at position ${open + 1}: ${around(text, open)}`,
          );
        const d = text[i] ?? '';
        if (d === '"') break;
        if (d === '\\' && i + 1 < text.length && '$`"\\\n'.includes(text[i + 1] ?? '')) {
          if (text[i + 1] !== '\n') word += text[i + 1];
          i++;
        } else if ((d === '$' && EXPANSION.test(text.slice(i, i + 2))) || d === '`') {
          throw new Error(
            `${d === '`' || text[i + 1] === '(' ? 'command substitution' : 'variable expansion'} at position ${i + 1} is not supported (no shell runs): ${around(text, i)}; write the value itself, or use '...' to pass it literally`,
          );
        } else word += d;
      }
    } else if (c === '\\') {
      if (i + 1 >= text.length)
        throw new Error(`trailing backslash at position ${i + 1}: nothing to escape`);
      if (text[i + 1] !== '\n') {
        word += text[i + 1];
        inWord = true;
      }
      i++;
    } else if (c === '#' && !inWord) {
      // A comment, as in a shell: lets a multi-line vllm-args block explain itself.
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
    } else if (c === '~' && !inWord) {
      throw new Error(
        `'~' at position ${i + 1} would be your home directory in a shell, but no shell runs: ${around(text, i)}; write the full path`,
      );
    } else if (SHELL_OPERATORS.has(c) || (c === '$' && EXPANSION.test(text.slice(i, i + 2)))) {
      throw new Error(
        `'${c}' at position ${i + 1} is shell syntax, and no shell runs: ${around(text, i)}; quote it ('...') to pass it literally`,
      );
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** `--max_model_len=5` -> `--max-model-len` (vLLM accepts underscores in flag names too). */
export function flagName(arg: string): string | undefined {
  if (!arg.startsWith('--') || arg.length < 3) return undefined;
  const eq = arg.indexOf('=');
  return (eq > 0 ? arg.slice(0, eq) : arg).replace(/_/g, '-');
}

/** The value of `--flag VALUE` or `--flag=VALUE` in argv (the last occurrence wins, as in argparse). */
export function flagValue(argv: readonly string[], flag: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (flagName(arg) !== flag) continue;
    const eq = arg.indexOf('=');
    value = eq > 0 ? arg.slice(eq + 1) : argv[i + 1];
  }
  return value;
}
