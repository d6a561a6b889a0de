/**
 * Just enough HTML form reading for a headless user: the consent page is server-rendered by our own
 * authz, so a tolerant attribute scan is reliable without pulling in a DOM implementation.
 */
export interface HtmlForm {
  action: string;
  method: string;
  /** Hidden and text inputs by name (the CSRF interaction id travels here). */
  fields: Record<string, string>;
  /** Submit buttons: their visible label plus the name/value they would add to the body. */
  buttons: { label: string; name?: string; value?: string }[];
}

const attr = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  const raw = match ? (match[1] ?? match[2] ?? match[3]) : undefined;
  return raw === undefined ? undefined : decodeEntities(raw);
};

export function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export const textOf = (html: string): string =>
  decodeEntities(html.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();

export function parseForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, formAttrs, body] = match;
    const openTag = `<form ${formAttrs}>`;
    const fields: Record<string, string> = {};
    for (const input of body.matchAll(/<input\b[^>]*>/gi)) {
      const type = (attr(input[0], 'type') ?? 'text').toLowerCase();
      const name = attr(input[0], 'name');
      if (!name) continue;
      if (type === 'submit') continue;
      if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/i.test(input[0])) continue;
      fields[name] = attr(input[0], 'value') ?? (type === 'checkbox' ? 'on' : '');
    }
    const buttons: HtmlForm['buttons'] = [];
    for (const button of body.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)) {
      const tag = `<button ${button[1]}>`;
      const type = (attr(tag, 'type') ?? 'submit').toLowerCase();
      if (type !== 'submit') continue;
      buttons.push({ label: textOf(button[2]), name: attr(tag, 'name'), value: attr(tag, 'value') });
    }
    for (const input of body.matchAll(/<input\b[^>]*>/gi)) {
      if ((attr(input[0], 'type') ?? '').toLowerCase() !== 'submit') continue;
      const value = attr(input[0], 'value');
      buttons.push({ label: value ?? '', name: attr(input[0], 'name'), value });
    }
    forms.push({
      action: attr(openTag, 'action') ?? '',
      method: (attr(openTag, 'method') ?? 'get').toLowerCase(),
      fields,
      buttons,
    });
  }
  return forms;
}
