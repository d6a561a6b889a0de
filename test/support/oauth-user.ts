import { parseForms, textOf, type HtmlForm } from './html-form';

export type ConsentDecision = 'approve' | 'deny';

export interface UserAgentResult {
  /** Where authz finally sent the user agent: the client's redirect_uri with code/state/iss (or error). */
  redirect: URL;
  /** The consent page as the user saw it (absent when authz redirected without asking). */
  consentPage?: { url: string; html: string; text: string };
}

const MAX_STEPS = 10;

function pickDecisionButton(
  form: HtmlForm,
  decision: ConsentDecision,
): HtmlForm['buttons'][number] | undefined {
  const wanted = decision === 'approve' ? /approve|allow|authori[sz]e|accept/i : /deny|reject|cancel/i;
  return form.buttons.find((button) => wanted.test(button.label) || wanted.test(button.value ?? ''));
}

/**
 * A person with a browser, minus the browser: follows `/authorize` (and any login/consent redirects on the
 * authorization server), then presses Approve or Deny on the server-rendered consent form exactly as a
 * browser would submit it (same cookies, form fields, Origin and Referer). Stops at the first redirect
 * that leaves the authorization server, which is the client's redirect_uri.
 */
export async function actAsUser(
  authorizationUrl: string | URL,
  decision: ConsentDecision = 'approve',
): Promise<UserAgentResult> {
  const start = new URL(authorizationUrl);
  const cookies = new Map<string, string>();
  let request: { url: URL; method: 'GET' | 'POST'; body?: URLSearchParams; referer?: string } = {
    url: start,
    method: 'GET',
  };
  let consentPage: UserAgentResult['consentPage'];

  for (let step = 0; step < MAX_STEPS; step += 1) {
    const headers: Record<string, string> = { accept: 'text/html,application/xhtml+xml' };
    if (cookies.size > 0) headers.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (request.method === 'POST') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.origin = start.origin;
      if (request.referer) headers.referer = request.referer;
    }
    const response = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.body?.toString(),
      redirect: 'manual',
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }

    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      if (!location) throw new Error(`${response.status} from ${request.url.href} without a Location header`);
      const next = new URL(location, request.url);
      if (next.origin !== start.origin) return { redirect: next, consentPage };
      request = { url: next, method: 'GET' };
      continue;
    }

    const html = await response.text();
    if (response.status !== 200) {
      throw new Error(
        `authorization server answered ${response.status} at ${request.url.href}: ${textOf(html).slice(0, 500)}`,
      );
    }
    const form = parseForms(html).find((candidate) => pickDecisionButton(candidate, decision));
    if (!form) throw new Error(`no ${decision} button on ${request.url.href}: ${textOf(html).slice(0, 500)}`);
    consentPage = { url: request.url.href, html, text: textOf(html) };
    const button = pickDecisionButton(form, decision)!;
    const body = new URLSearchParams(form.fields);
    if (button.name) body.set(button.name, button.value ?? '');
    request = {
      url: new URL(form.action || request.url.href, request.url),
      method: 'POST',
      body,
      referer: request.url.href,
    };
  }
  throw new Error(`gave up after ${MAX_STEPS} steps starting at ${start.href}`);
}

/** The code from a successful redirect, after checking `state` and the RFC 9207 `iss` parameter. */
export function codeFrom(redirect: URL, expected: { state?: string; issuer?: string } = {}): string {
  const error = redirect.searchParams.get('error');
  if (error)
    throw new Error(`authorization failed: ${error} ${redirect.searchParams.get('error_description') ?? ''}`);
  if (expected.state !== undefined && redirect.searchParams.get('state') !== expected.state) {
    throw new Error(`state mismatch in ${redirect.href}`);
  }
  if (expected.issuer !== undefined && redirect.searchParams.get('iss') !== expected.issuer) {
    throw new Error(`iss ${redirect.searchParams.get('iss')} != ${expected.issuer} in ${redirect.href}`);
  }
  const code = redirect.searchParams.get('code');
  if (!code) throw new Error(`no code in ${redirect.href}`);
  return code;
}
