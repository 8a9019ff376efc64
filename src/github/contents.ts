import { createClient } from './client.js';

export interface CommitFileOptions {
  token: string | undefined;
  apiUrl: string;
  repo: { owner: string; repo: string };
  branch: string;
  path: string;
  content: string;
  message: string;
}

/**
 * Commit one file to a branch through the contents API (PUT /repos/{owner}/{repo}/contents/{path}): no git
 * credentials and no checkout needed. The file's current blob sha (if any) is read first, as the API needs
 * it to replace a file. Throws with the status and path, never the token.
 */
export async function commitFile(
  o: CommitFileOptions,
): Promise<{ commitSha: string; url: string }> {
  if (!o.token) throw new Error('committing the baseline needs github-token with contents: write');
  const octokit = await createClient({ token: o.token, apiUrl: o.apiUrl });
  const where = `${o.repo.owner}/${o.repo.repo}:${o.branch}:${o.path}`;
  let sha: string | undefined;
  try {
    const existing = await octokit.rest.repos.getContent({
      ...o.repo,
      path: o.path,
      ref: o.branch,
    });
    const data = existing.data as { sha?: string } | unknown[];
    if (!Array.isArray(data) && typeof data.sha === 'string') sha = data.sha;
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status !== 404)
      throw new Error(`reading ${where} failed: HTTP ${status ?? '?'} ${(e as Error).message}`);
  }
  try {
    const res = await octokit.rest.repos.createOrUpdateFileContents({
      ...o.repo,
      path: o.path,
      branch: o.branch,
      message: o.message,
      content: Buffer.from(o.content).toString('base64'),
      ...(sha ? { sha } : {}),
    });
    return { commitSha: res.data.commit.sha ?? '', url: res.data.commit.html_url ?? '' };
  } catch (e) {
    const status = (e as { status?: number }).status;
    const hint =
      status === 403 || status === 404
        ? ' (the token needs permissions: contents: write, and the branch must exist)'
        : '';
    throw new Error(
      `committing ${where} failed: HTTP ${status ?? '?'} ${(e as Error).message}${hint}`,
    );
  }
}
