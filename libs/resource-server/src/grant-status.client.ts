import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent as HttpAgent, request as httpRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { withClientSpan } from '@app/observability';
import { RESOURCE_SERVER_OPTIONS, type ResolvedResourceServerOptions } from './resource-server.options';
import { GRANT_STATES, GRANT_STATUS_PATH_PREFIX, type GrantState } from './revocation-event';

const MAX_ANSWER_BYTES = 4096;

/**
 * Asks authz what it knows about a grant: `GET /internal/grants/{grant_id}` -> `{"status": "active" | "revoked"
 * | "unknown"}`, over a keep-alive agent. Anything but such an answer rejects, and the caller fails closed.
 */
@Injectable()
export class GrantStatusClient implements OnApplicationShutdown {
  /** Fixed request options, built once; only the path changes per call. */
  private readonly target: RequestOptions;
  private readonly agent: HttpAgent;
  private readonly request: typeof httpRequest;

  constructor(@Inject(RESOURCE_SERVER_OPTIONS) options: ResolvedResourceServerOptions) {
    const url = new URL(`${options.authzInternalUrl}${GRANT_STATUS_PATH_PREFIX}`);
    const secure = url.protocol === 'https:';
    this.agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.request = secure ? httpsRequest : httpRequest;
    this.target = {
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port,
      path: url.pathname,
      method: 'GET',
      agent: this.agent,
      timeout: options.authzTimeoutMs,
      headers: { Accept: 'application/json' },
    };
  }

  /** `grantId` passed isGrantId, so it needs no escaping. */
  async status(grantId: string): Promise<GrantState> {
    // A client span when tracing: authz's answer joins the trace of the request that asked.
    const answer = await withClientSpan('GET /internal/grants/{grant_id}', {}, (trace) =>
      this.get(this.target.path + grantId, trace),
    );
    if (answer.status !== 200) throw new Error(`grant status answered ${answer.status}`);
    const status = (JSON.parse(answer.body) as { status?: unknown }).status;
    if (!GRANT_STATES.includes(status as GrantState)) throw new Error('grant status answer is malformed');
    return status as GrantState;
  }

  onApplicationShutdown(): void {
    this.agent.destroy();
  }

  private get(path: string, trace: Record<string, string>): Promise<{ status: number; body: string }> {
    const headers =
      Object.keys(trace).length === 0 ? this.target.headers : { ...this.target.headers, ...trace };
    return new Promise((resolve, reject) => {
      const req = this.request({ ...this.target, path, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          if (body.length > MAX_ANSWER_BYTES) req.destroy(new Error('grant status answer too large'));
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('grant status timed out')));
      req.on('error', reject);
      req.end();
    });
  }
}
