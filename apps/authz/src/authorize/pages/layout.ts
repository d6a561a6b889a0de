const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Every dynamic value on a page goes through this: client names and URIs are attacker-chosen. */
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => ESCAPES[char]);

/** No scripts at all, so the strict CSP needs no nonce; inline CSS only. */
const STYLE = `
  body { font-family: system-ui, sans-serif; background: #f4f5f7; margin: 0; color: #1d2330; }
  main { max-width: 28rem; margin: 4rem auto; background: #fff; border-radius: 8px; padding: 2rem;
         box-shadow: 0 1px 4px rgba(0,0,0,.12); }
  h1 { font-size: 1.3rem; margin-top: 0; }
  ul { padding-left: 1.2rem; } li { margin: .35rem 0; } code { font-size: .85em; color: #555; }
  .actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
  button { flex: 1; padding: .6rem 1rem; border-radius: 6px; border: 1px solid #8a93a6; font-size: 1rem;
           cursor: pointer; background: #fff; }
  button.primary { background: #2657d9; border-color: #2657d9; color: #fff; }
  button.link { flex: none; padding: 0; border: none; background: none; color: #2657d9; font-size: inherit;
                text-decoration: underline; }
  label { display: block; margin: .75rem 0 .25rem; } input { width: 100%; padding: .5rem; box-sizing: border-box; }
  .muted { color: #5c6478; font-size: .9rem; } .error { color: #b3261e; }
  .warning { color: #8a4b00; background: #fff4e0; border-radius: 6px; padding: .5rem .75rem; }
  .redirect-host, .document-host { font-size: 1.05em; }
`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body><main>
${body}
</main></body>
</html>`;
}

/**
 * The pages' own CSP: nothing but inline style, no framing (clickjacking on the consent button), and forms
 * may post only here, or to the client's redirect origin (the decision POST answers with a redirect there,
 * and browsers apply form-action to that redirect).
 */
export function pageCsp(formTargets: string[] = []): string {
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    `form-action 'self' ${formTargets.join(' ')}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}
