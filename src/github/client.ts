import type { getOctokit } from '@actions/github';

export type Octokit = ReturnType<typeof getOctokit>;

export interface ClientOptions {
  token: string;
  /** GITHUB_API_URL: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server. */
  apiUrl: string;
}

/**
 * An octokit for this token and API root. Only baseUrl is set: @actions/github's defaults carry the
 * runner's proxy settings (HTTPS_PROXY, NO_PROXY) in their `request` options, which any `request` option
 * given here would replace wholesale. Loaded on first use because importing @actions/github reads
 * GITHUB_EVENT_PATH and the environment: the CLI and the renderer never pay for it.
 */
export async function createClient({ token, apiUrl }: ClientOptions): Promise<Octokit> {
  const { getOctokit } = await import('@actions/github');
  return getOctokit(token, { baseUrl: apiUrl.replace(/\/+$/, ''), userAgent: 'videophy-gate' });
}
