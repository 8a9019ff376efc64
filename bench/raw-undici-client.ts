/**
 * The bench's lower bound, not product code: the same chat requests through undici's `request` with a
 * keep-alive Agent, no retries, no timeouts beyond undici's, no error classification. It is what the
 * hand-written client did on its happy path before the gate moved to the `openai` package, so the bench can
 * show what the package costs per video next to it.
 */
import { Agent, request } from 'undici';

export class RawUndiciClient {
  private readonly agent = new Agent({ keepAliveTimeout: 60_000 });
  private readonly url: string;

  constructor(baseUrl: string) {
    this.url = `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  /** The completion's content, or null when the answer was not a 200 chat completion. */
  async chat(body: Record<string, unknown>): Promise<string | null> {
    const res = await request(this.url, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      dispatcher: this.agent,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) return null;
    const doc = JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] };
    const content = doc.choices?.[0]?.message?.content;
    return typeof content === 'string' ? content : null;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
