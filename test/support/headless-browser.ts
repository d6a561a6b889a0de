import { parseForms, textOf, type HtmlForm } from './html-form';

export interface PageSeen {
  url: URL;
  status: number;
  headers: Headers;
  html: string;
  text: string;
}

export type Outcome =
  /** Sent to a URL outside the gateway and the provider: the client's redirect_uri (code or error). */
  | { kind: 'redirect'; url: URL; pages: PageSeen[] }
  /** Stopped, as asked, before requesting this URL. */
  | { kind: 'stopped'; url: URL; pages: PageSeen[] }
  /** A page with nothing left to press: an error page, usually. */
  | { kind: 'page'; page: PageSeen; pages: PageSeen[] };

export interface RunOptions {
  /** The gateway's sign-in page: which provider button to press. */
  provider?: string;
  /** The provider's login form. */
  login?: { login: string; password?: string };
  decision?: 'approve' | 'deny';
  /** Requests this returns true for are not made; the run ends with `stopped`. */
  stopAt?: (url: URL) => boolean;
  /** May replace a URL before it is requested (a tampering user). */
  rewrite?: (url: URL) => URL;
}

const MAX_STEPS = 20;

/**
 * A person with a minimal browser: a cookie jar per host (cookies a browser would send on a top-level
 * navigation), redirects followed one by one, and forms on the gateway's and the provider's pages submitted
 * the way a browser submits them. Knows the gateway's sign-in, consent and error pages and the provider's
 * login and consent forms; stops when it leaves both.
 */
export class HeadlessBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  constructor(private readonly sites: { gateway: string; providers: string[] }) {}

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name);
  }

  async run(start: string | URL, options: RunOptions = {}): Promise<Outcome> {
    const pages: PageSeen[] = [];
    let next: { url: URL; method: 'GET' | 'POST'; body?: URLSearchParams; origin?: string } = {
      url: new URL(start),
      method: 'GET',
    };
    for (let step = 0; step < MAX_STEPS; step += 1) {
      const url = options.rewrite ? options.rewrite(next.url) : next.url;
      if (![this.sites.gateway, ...this.sites.providers].includes(url.origin))
        return { kind: 'redirect', url, pages };
      if (options.stopAt?.(url)) return { kind: 'stopped', url, pages };
      const response = await this.fetch(url, next.method, next.body, next.origin);
      if (response.status >= 300 && response.status < 400) {
        next = { url: new URL(response.headers.get('location')!, url), method: 'GET' };
        continue;
      }
      const html = await response.text();
      const page = { url, status: response.status, headers: response.headers, html, text: textOf(html) };
      pages.push(page);
      const submit = response.status === 200 ? this.choose(page, options) : undefined;
      if (!submit) return { kind: 'page', page, pages };
      next = { ...submit, method: 'POST', origin: url.origin };
    }
    throw new Error(`gave up after ${MAX_STEPS} steps from ${String(start)}`);
  }

  /** Any single request, with this browser's cookies (e.g. a callback URL replayed). */
  async open(url: URL): Promise<PageSeen> {
    const response = await this.fetch(url, 'GET');
    const html = await response.text();
    return { url, status: response.status, headers: response.headers, html, text: textOf(html) };
  }

  private choose(page: PageSeen, options: RunOptions): { url: URL; body: URLSearchParams } | undefined {
    const forms = parseForms(page.html);
    const submit = (
      form: HtmlForm,
      button?: HtmlForm['buttons'][number],
      extra: Record<string, string> = {},
    ) => {
      const body = new URLSearchParams({ ...form.fields, ...extra });
      if (button?.name) body.set(button.name, button.value ?? '');
      return { url: new URL(form.action || page.url.href, page.url), body };
    };
    if (this.sites.providers.includes(page.url.origin)) {
      const login = forms.find((form) => 'login' in form.fields);
      if (login && options.login) {
        return submit(login, login.buttons[0], {
          login: options.login.login,
          password: options.login.password ?? 'any password',
        });
      }
      const consent = forms.find((form) => form.buttons.some((button) => /continue/i.test(button.label)));
      return consent && submit(consent, consent.buttons[0]);
    }
    const decision = options.decision ?? 'approve';
    for (const form of forms) {
      const button = form.buttons.find(
        (candidate) =>
          (candidate.name === 'decision' && candidate.value === decision) ||
          (candidate.name === 'provider' && candidate.value === options.provider),
      );
      if (button) return submit(form, button);
    }
    return undefined;
  }

  private async fetch(url: URL, method: 'GET' | 'POST', body?: URLSearchParams, origin?: string) {
    const headers: Record<string, string> = { accept: 'text/html' };
    const cookies = this.jar.get(url.host);
    if (cookies?.size) headers.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (method === 'POST') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      if (origin) headers.origin = origin;
    }
    const response = await fetch(url, { method, headers, body: body?.toString(), redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const jar = this.jar.get(url.host) ?? new Map<string, string>();
      this.jar.set(url.host, jar);
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (expired) jar.delete(name);
      else jar.set(name, pair.slice(eq + 1).trim());
    }
    return response;
  }
}
