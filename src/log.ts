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

/** Masks secrets in every message, whatever the sink; the action also registers them with core.setSecret. */
export function maskingLogger(inner: Logger, secrets: readonly (string | undefined)[]): Logger {
  const mask = (m: string): string => maskSecrets(m, secrets);
  return {
    info: (m) => inner.info(mask(m)),
    notice: (m) => inner.notice(mask(m)),
    warning: (m) => inner.warning(mask(m)),
    error: (m) => inner.error(mask(m)),
    debug: (m) => inner.debug(mask(m)),
  };
}
