// The action's post step (action.yml runs.post: dist/post/index.js): stop a vLLM server the main step left.
import * as core from '@actions/core';
import { postStep } from './server/post-step.js';

await postStep(process.env.RUNNER_TEMP, {
  info: (m) => core.info(m),
  notice: (m) => core.notice(m),
  warning: (m) => core.warning(m),
  error: (m) => core.warning(m), // never fail the job from here
  debug: (m) => core.debug(m),
});
