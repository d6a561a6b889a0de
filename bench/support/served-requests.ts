import type { Counter } from './measure';

const COUNT_LINE = /^http_server_request_duration_seconds_count\{([^}]*)\} (\d+)/;

/**
 * A counter of the requests an app has served, from its own Prometheus metrics (every request of every app is
 * counted by route in `http_server_request_duration_seconds`), leaving out the scrapes that read it. Read
 * before and after a run, it proves (or disproves) that no request of the run called that app.
 */
export function servedRequests(metricsUrl: string): Counter {
  return async () => {
    const text = await (await fetch(metricsUrl)).text();
    let served = 0;
    for (const line of text.split('\n')) {
      const match = COUNT_LINE.exec(line);
      if (match && !match[1].includes('http_route="/metrics"')) served += Number(match[2]);
    }
    return served;
  };
}
