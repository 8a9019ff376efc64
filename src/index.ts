// The action's entry point (action.yml runs dist/index.js). All logic lives in main.ts.
import { run } from './main.js';

void run();
