export interface ProbeResponse {
  url: string;
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
  /** Local clock at the middle of the exchange, for the clock-skew check. */
  localTimeMs: number;
}

/** Every request the doctor makes: no redirects followed, one timeout, each answer remembered. */
export class HttpProbe {
  readonly responses: ProbeResponse[] = [];

  constructor(private readonly timeoutMs: number) {}

  async request(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ) {
    const started = Date.now();
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: init.headers,
      body: init.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const probed: ProbeResponse = {
      url,
      status: response.status,
      headers: response.headers,
      text,
      json,
      localTimeMs: (started + Date.now()) / 2,
    };
    this.responses.push(probed);
    return probed;
  }

  /** GET that never throws: a network failure reads as status 0 with the reason as text. */
  async tryGet(url: string, headers: Record<string, string> = {}): Promise<ProbeResponse> {
    try {
      return await this.request(url, { headers });
    } catch (error) {
      const reason =
        (error as Error).cause instanceof Error
          ? (error as Error & { cause: Error }).cause.message
          : (error as Error).message;
      return { url, status: 0, headers: new Headers(), text: reason, localTimeMs: Date.now() };
    }
  }
}

export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
