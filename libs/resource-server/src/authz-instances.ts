import { Inject, Injectable } from '@nestjs/common';
import { RESOURCE_SERVER_OPTIONS, type ResolvedResourceServerOptions } from './resource-server.options';

/**
 * The authz instances a resource server may ask, and THE failover rule for asking them: a call goes to the
 * instance that answered last and, when that one cannot answer (refused, reset, timed out, a 5xx), straight on to
 * the next, so an instance that is down costs one failed attempt, not an outage. Every instance of a cluster
 * answers alike (one store, one key set, STORE_URL), so any answer will do.
 */
@Injectable()
export class AuthzInstances {
  readonly urls: readonly string[];
  private preferred = 0;

  constructor(
    @Inject(RESOURCE_SERVER_OPTIONS) options: Pick<ResolvedResourceServerOptions, 'authzInternalUrls'>,
  ) {
    this.urls = options.authzInternalUrls;
  }

  /**
   * Runs `call` against each instance in turn, the preferred one first, until one resolves; rejects with the
   * last instance's error when none did. The instance that answered is preferred from then on.
   */
  async first<T>(call: (baseUrl: string) => Promise<T>): Promise<T> {
    let failure: unknown;
    for (let attempt = 0; attempt < this.urls.length; attempt++) {
      const index = (this.preferred + attempt) % this.urls.length;
      try {
        const answer = await call(this.urls[index]);
        this.preferred = index;
        return answer;
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }
}
