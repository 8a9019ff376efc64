/** This package's version, for `videophy-gate --version` (test/cli/version.test.ts keeps it equal to package.json's). */
export const VERSION = '0.1.0';
