/** Where messages go: @actions/core in the action, the terminal in the CLI, an array in tests. */
export interface Logger {
  info(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

export function consoleLogger(showDebug = false): Logger {
  return {
    info: (m) => console.log(m),
    notice: (m) => console.log(`notice: ${m}`),
    warning: (m) => console.warn(`warning: ${m}`),
    error: (m) => console.error(`error: ${m}`),
    debug: (m) => {
      if (showDebug) console.error(`debug: ${m}`);
    },
  };
}

/** Replace every occurrence of a secret (3+ characters) with ***. */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  return secrets.reduce<string>(
    (acc, s) => (typeof s === 'string' && s.length >= 3 ? acc.split(s).join('***') : acc),
    text,
  );
}

/** Every message rewritten by `map` before it reaches `inner`, whatever the level. */
function mappedLogger(inner: Logger, map: (m: string) => string): Logger {
  return {
    info: (m) => inner.info(map(m)),
    notice: (m) => inner.notice(map(m)),
    warning: (m) => inner.warning(map(m)),
    error: (m) => inner.error(map(m)),
    debug: (m) => inner.debug(map(m)),
  };
}

/** Masks secrets in every message, whatever the sink; the action also registers them with core.setSecret. */
export function maskingLogger(inner: Logger, secrets: readonly (string | undefined)[]): Logger {
  return mappedLogger(inner, (m) => maskSecrets(m, secrets));
}

/** Each message headed `[label] `: whose log line it is when a sweep runs checkpoints side by side. */
export function labelledLogger(inner: Logger, label: string): Logger {
  return mappedLogger(inner, (m) => `[${label}] ${m}`);
}
