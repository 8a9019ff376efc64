#!/usr/bin/env node
// The command-line entry (dist/cli/index.js, `videophy-gate`): same core as the action. Logic lives in cli/.
import { runCli } from './cli/run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), process.env);
