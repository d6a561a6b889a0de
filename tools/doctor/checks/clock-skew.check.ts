import { fail, pass, skip, warn, type DoctorCheck } from '../doctor-context';

/** Clients and resource servers accept about this much difference on a token's iat/nbf/exp. */
const FAIL_SECONDS = 30;
/** The Date header has one-second resolution, so a few seconds are noise. */
const WARN_SECONDS = 5;

/** The server's clock (its Date headers) against this machine's, over every answer the doctor got. */
export const clockSkewCheck: DoctorCheck = {
  id: 'clock',
  title: 'Clock skew',
  async run({ http }) {
    const skews = http.responses
      .map((response) => Date.parse(response.headers.get('date') ?? '') - response.localTimeMs)
      .filter((skew) => Number.isFinite(skew))
      .sort((a, b) => a - b);
    if (skews.length === 0) return skip('no Date header in any answer');
    const seconds = Math.round(skews[Math.floor(skews.length / 2)] / 1000);
    const detail = `the server's clock is ${Math.abs(seconds)} s ${seconds >= 0 ? 'ahead of' : 'behind'} this machine`;
    const fix = 'Synchronise the server clock (NTP): tokens carry issue and expiry times that clients check.';
    if (Math.abs(seconds) > FAIL_SECONDS) return fail(detail, fix);
    if (Math.abs(seconds) > WARN_SECONDS) return warn(detail, fix);
    return pass(detail);
  },
};
