/**
 * Reading another catalogue over HTTP without ever hanging: every request has a time limit that
 * covers the whole body, bodies have a size limit, and every failure becomes a `HarvestError` whose
 * code the report explains in words people understand.
 */

export const harvestErrorCodes = ['unreachable', 'timeout', 'httpStatus', 'notJson', 'invalidResponse', 'tooLarge', 'tooManyPages'] as const;
export type HarvestErrorCode = (typeof harvestErrorCodes)[number];

export class HarvestError extends Error {
  constructor(
    readonly code: HarvestErrorCode,
    readonly url: string,
    readonly detail: string = '',
  ) {
    super(`${code}: ${url}${detail ? ` (${detail})` : ''}`);
    this.name = 'HarvestError';
  }
}

export interface FetchLimits {
  /** For the whole request, body included. */
  timeoutMs: number;
  maxBytes: number;
}

export const defaultLimits: FetchLimits = { timeoutMs: 30_000, maxBytes: 50 * 1024 * 1024 };

/** The cause a network failure gives (ECONNREFUSED, ENOTFOUND, …), for the report. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** GETs a URL and returns its body as text, within the limits. */
export async function fetchText(url: string, limits: FetchLimits, accept: string): Promise<string> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept, 'user-agent': 'Trillium harvester' }, redirect: 'follow', signal });
  } catch (error) {
    if (signal.aborted) throw new HarvestError('timeout', url, `${limits.timeoutMs} ms`);
    throw new HarvestError('unreachable', url, causeOf(error));
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new HarvestError('httpStatus', url, String(response.status));
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new HarvestError('tooLarge', url, String(declared));
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    if (response.body) {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        size += chunk.byteLength;
        if (size > limits.maxBytes) throw new HarvestError('tooLarge', url, String(size));
        chunks.push(chunk);
      }
    }
  } catch (error) {
    if (error instanceof HarvestError) throw error;
    if (signal.aborted) throw new HarvestError('timeout', url, `${limits.timeoutMs} ms`);
    throw new HarvestError('unreachable', url, causeOf(error));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** GETs a URL and parses its body as JSON. */
export async function fetchJson(url: string, limits: FetchLimits, accept = 'application/json'): Promise<unknown> {
  const text = await fetchText(url, limits, accept);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HarvestError('notJson', url);
  }
}
