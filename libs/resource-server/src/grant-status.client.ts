import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent as HttpAgent, request as httpRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { withClientSpan } from '@app/observability';
import { AuthzInstances } from './authz-instances';
import { RESOURCE_SERVER_OPTIONS, type ResolvedResourceServerOptions } from './resource-server.options';
import { GRANT_STATES, GRANT_STATUS_PATH_PREFIX, type GrantState } from './revocation-event';

const MAX_ANSWER_BYTES = 4096;

interface Target {
  options: RequestOptions;
  request: typeof httpRequest;
}

/**
 * Asks authz what it knows about a grant: `GET /internal/grants/{grant_id}` -> `{"status": "active" | "revoked"
 * | "unknown"}`, over keep-alive agents, of the first authz instance that answers (AuthzInstances). Anything but
 * such an answer from every instance rejects, and the caller fails closed.
 */
@Injectable()
export class GrantStatusClient implements OnApplicationShutdown {
  /** Fixed request options per instance, built once; only the path changes per call. */
  private readonly targets = new Map<string, Target>();
  private readonly agents = {
    http: new HttpAgent({ keepAlive: true }),
    https: new HttpsAgent({ keepAlive: true }),
  };

  constructor(
    @Inject(RESOURCE_SERVER_OPTIONS) options: ResolvedResourceServerOptions,
    private readonly instances: AuthzInstances,
  ) {
    for (const base of instances.urls) {
      const url = new URL(`${base}${GRANT_STATUS_PATH_PREFIX}`);
      const secure = url.protocol === 'https:';
      this.targets.set(base, {
        request: secure ? httpsRequest : httpRequest,
        options: {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port,
          path: url.pathname,
          method: 'GET',
          agent: secure ? this.agents.https : this.agents.http,
          timeout: options.authzTimeoutMs,
          headers: { Accept: 'application/json' },
        },
      });
    }
  }

  /** `grantId` passed isGrantId, so it needs no escaping. */
  status(grantId: string): Promise<GrantState> {
    return this.instances.first(async (base) => {
      const target = this.targets.get(base)!;
      // A client span when tracing: authz's answer joins the trace of the request that asked.
      const answer = await withClientSpan('GET /internal/grants/{grant_id}', {}, (trace) =>
        this.get(target, target.options.path + grantId, trace),
      );
      if (answer.status !== 200) throw new Error(`grant status answered ${answer.status}`);
      const status = (JSON.parse(answer.body) as { status?: unknown }).status;
      if (!GRANT_STATES.includes(status as GrantState)) throw new Error('grant status answer is malformed');
      return status as GrantState;
    });
  }

  onApplicationShutdown(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private get(
    target: Target,
    path: string,
    trace: Record<string, string>,
  ): Promise<{ status: number; body: string }> {
    const base = target.options.headers;
    const headers = Object.keys(trace).length === 0 ? base : { ...base, ...trace };
    return new Promise((resolve, reject) => {
      const req = target.request({ ...target.options, path, headers }, (res) => {
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
