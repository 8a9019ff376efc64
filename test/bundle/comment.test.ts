import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { marked } from 'marked';
import { toCsv, VIDEOPHY2_HEADER } from '../../scripts/synthetic.js';
import { runAsActionsRunner } from '../helpers/actions-runner.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { useSimulators } from '../helpers/simulators.js';
import { useTmp } from '../helpers/tmp.js';

// dist/index.js against a fake GitHub REST API (GITHUB_API_URL) with a real pull_request event payload.
const start = useSimulators();
const tmp = useTmp();
let gh: FakeGitHub | undefined;
afterEach(async () => {
  await gh?.close();
  gh = undefined;
});

const EVENT = JSON.parse(readFileSync('test/fixtures/pull_request_event.json', 'utf8')) as {
  number: number;
};
const TOKEN = 'ghs_actions_token_123';

async function setup(token: { canWrite?: boolean } = {}, prefix?: string) {
  gh = await FakeGitHub.start(prefix ? { prefix } : {});
  gh.addToken(TOKEN, { login: 'github-actions[bot]', canReadUser: false, ...token }).addIssue(
    'acme',
    'critic',
    EVENT.number,
  );
  return gh;
}

function runnerEnv(github: FakeGitHub): Record<string, string> {
  return {
    GITHUB_API_URL: github.apiUrl,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: 'acme/critic',
    GITHUB_RUN_ID: '4242',
    GITHUB_EVENT_NAME: 'pull_request',
  };
}

async function gate(
  dir: string,
  github: FakeGitHub,
  extra: Record<string, string> = {},
  dataset = 'test/fixtures/videophy2_test_head.csv',
) {
  const sim = await start();
  return runAsActionsRunner(
    'dist/index.js',
    {
      'base-url': sim.baseUrl,
      dataset,
      'output-dir': join(dir, `out-${Math.random().toString(36).slice(2)}`),
      'github-token': TOKEN,
      ...extra,
    },
    { env: runnerEnv(github), event: EVENT },
  );
}

describe('the sticky pull-request comment (dist/index.js, fake GitHub API)', () => {
  it('the first run creates the comment, the second updates the same one; comment-url is set', async () => {
    const dir = tmp();
    const github = await setup();
    const first = await gate(dir, github);
    expect(first.code, first.stdout).toBe(0);
    const comments = github.comments('acme', 'critic', EVENT.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('<!-- videophy-gate: videophy-gate -->');
    expect(comments[0]?.body).toContain('https://github.example/acme/critic/actions/runs/4242');
    expect(first.outputs['comment-url']).toBe(comments[0]?.html_url);
    const second = await gate(dir, github);
    expect(second.code).toBe(0);
    expect(github.comments('acme', 'critic', EVENT.number)).toHaveLength(1);
    expect(github.calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);
    expect(second.outputs['comment-url']).toBe(comments[0]?.html_url);
  });

  it('finds its comment on page 2 (after 150 others), and a second tag keeps a second comment', async () => {
    const dir = tmp();
    const github = await setup();
    const noise = Array.from({ length: 150 }, (_, i) => ({
      login: i % 2 ? 'alice' : 'github-actions[bot]',
      body: `comment ${i}`,
    }));
    github.seed('acme', 'critic', EVENT.number, noise);
    await gate(dir, github);
    github.seed('acme', 'critic', EVENT.number, noise.slice(0, 20));
    await gate(dir, github);
    expect(
      github
        .comments('acme', 'critic', EVENT.number)
        .filter((c) => c.body.includes('<!-- videophy-gate: videophy-gate -->')),
    ).toHaveLength(1);
    await gate(dir, github, { 'comment-tag': 'videophy-gate-2b' });
    const tagged = github
      .comments('acme', 'critic', EVENT.number)
      .filter((c) => c.body.includes('<!-- videophy-gate:'));
    expect(tagged).toHaveLength(2);
  });

  it('a read-only token (fork PR) warns how to fix it; the verdict still decides the exit code', async () => {
    const dir = tmp();
    const github = await setup({ canWrite: false });
    const r = await gate(dir, github);
    expect(r.code).toBe(0);
    expect(r.outputs.verdict).toBe('no-baseline');
    expect(r.stdout).toMatch(/::warning::.*pull-requests: write.*workflow_run/s);
    expect(r.outputs['comment-url'] ?? '').toBe('');
    expect(r.stepSummary).toMatch(/VideoPhy-2 gate/);
  });

  it('works behind a GitHub Enterprise Server style API prefix', async () => {
    const dir = tmp();
    const github = await setup({}, '/api/v3');
    const r = await gate(dir, github);
    expect(r.code, r.stdout).toBe(0);
    expect(github.comments('acme', 'critic', EVENT.number)).toHaveLength(1);
  });

  it('hostile captions and replies do not inject markup into the comment or the job summary', async () => {
    const dir = tmp();
    const github = await setup();
    const evil =
      '<img src=x onerror=alert(1)> @acme/admins [click](javascript:alert(1)) | x | </details> <!-- -->';
    const rows = Array.from({ length: 20 }, (_, i) =>
      Object.fromEntries(
        VIDEOPHY2_HEADER.map((h) => [
          h,
          h === 'video_url'
            ? `https://v.test/${i}.mp4`
            : h === 'pc'
              ? String(1 + (i % 5))
              : h === 'caption'
                ? `${evil} ${i}`
                : h === 'model_name'
                  ? '<b>wan</b>'
                  : '',
        ]),
      ),
    );
    const dataset = join(dir, 'evil.csv');
    writeFileSync(dataset, toCsv(rows));
    const sim = await start({
      answerKey: new Map(rows.map((r) => [r.video_url ?? '', Number(r.pc)])),
    });
    const baseline = join(dir, 'baseline.json');
    await runAsActionsRunner(
      'dist/index.js',
      {
        'base-url': sim.baseUrl,
        dataset,
        'output-dir': join(dir, 'a'),
        'write-baseline': baseline,
        comment: 'never',
      },
      { env: runnerEnv(github), event: EVENT },
    );
    const sim2 = await start({
      answerKey: new Map(rows.map((r) => [r.video_url ?? '', Number(r.pc)])),
      accuracy: 0.1,
      seed: 3,
    });
    const r = await runAsActionsRunner(
      'dist/index.js',
      {
        'base-url': sim2.baseUrl,
        dataset,
        baseline,
        'output-dir': join(dir, 'b'),
        'github-token': TOKEN,
        'fail-on-regression': 'false',
      },
      { env: runnerEnv(github), event: EVENT },
    );
    expect(r.code, r.stdout).toBe(0);
    const body = github.comments('acme', 'critic', EVENT.number)[0]?.body ?? '';
    expect(body).toContain('click');
    for (const text of [body, r.stepSummary]) {
      const html = await marked.parse(text);
      expect(html).not.toMatch(/<img/);
      expect(html).not.toMatch(/href="javascript:/);
      expect(html).not.toMatch(/<b>wan<\/b>/);
      expect(text).not.toMatch(/(^|[^\u200b])@acme\/admins/);
      expect((html.match(/<details>/g) ?? []).length).toBe(
        (html.match(/<\/details>/g) ?? []).length,
      );
    }
  });

  it('comment never, and on-regression without a regression, post nothing', async () => {
    const dir = tmp();
    const github = await setup();
    await gate(dir, github, { comment: 'never' });
    await gate(dir, github, { comment: 'on-regression' });
    expect(github.comments('acme', 'critic', EVENT.number)).toHaveLength(0);
  });
});

describe('the workflow_run pattern for forks: mode comment', () => {
  it('the evaluating job records the PR number; a later job comments from the results directory', async () => {
    const dir = tmp();
    const github = await setup({ canWrite: false });
    const out = join(dir, 'results');
    const sim = await start();
    const evaluate = await runAsActionsRunner(
      'dist/index.js',
      {
        'base-url': sim.baseUrl,
        dataset: 'test/fixtures/videophy2_test_head.csv',
        'output-dir': out,
        'github-token': TOKEN,
      },
      { env: runnerEnv(github), event: EVENT },
    );
    expect(evaluate.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'pull-request.json'), 'utf8'))).toEqual({
      number: EVENT.number,
    });
    // The workflow_run job: a write token, the artifact downloaded to `results`, no PR in the payload (fork).
    gh?.addToken('ghs_write', { login: 'github-actions[bot]', canReadUser: false });
    const comment = await runAsActionsRunner(
      'dist/index.js',
      {
        mode: 'comment',
        'results-dirs': out,
        'github-token': 'ghs_write',
        'output-dir': join(dir, 'unused'),
      },
      {
        env: { ...runnerEnv(github), GITHUB_EVENT_NAME: 'workflow_run' },
        event: { workflow_run: { pull_requests: [] } },
      },
    );
    expect(comment.code, comment.stdout).toBe(0);
    expect(github.comments('acme', 'critic', EVENT.number)).toHaveLength(1);
    expect(comment.outputs.verdict).toBe('no-baseline');
  });

  it('refuses a results directory whose summary is not a videophy-gate summary', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'summary.json'), '{"verdict": "pass"}');
    const r = await runAsActionsRunner('dist/index.js', { mode: 'comment', 'results-dirs': dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::.*is not a videophy-gate summary/);
  });
});
