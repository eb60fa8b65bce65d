/**
 * The page shell of the emulators' hosted pages (checkout, portal, errors): escaping, the shared style
 * with each emulator's palette, and the test-mode badge with the product name.
 */

/** Escapes text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** An emulator's colours (and the sections that get a rule above them). */
export interface PageTheme {
  background: string;
  text: string;
  badgeBackground: string;
  badgeText: string;
  border: string;
  danger: string;
  errorBackground: string;
  muted: string;
  rule: string;
  accent: string;
  /** The selector of the sections separated by a rule, e.g. `section.subscription`. */
  ruledSections: string;
}

function style(t: PageTheme): string {
  return `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; background: ${t.background}; color: ${t.text}; }
  main { max-width: 30rem; margin: 2rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
  .badge { display: inline-block; background: ${t.badgeBackground}; color: ${t.badgeText}; font-size: .75rem; font-weight: 600; padding: .15rem .5rem; border-radius: 4px; }
  h1 { font-size: 1.4rem; margin: .75rem 0 .25rem; }
  h2 { font-size: 1.1rem; margin: 0 0 .25rem; }
  .price { font-size: 1.8rem; font-weight: 600; margin: 0 0 1rem; }
  label { display: block; font-size: .9rem; margin: .75rem 0 .25rem; }
  input { box-sizing: border-box; width: 100%; padding: .55rem; font-size: 1rem; border: 1px solid ${t.border}; border-radius: 4px; }
  input[aria-invalid="true"] { border-color: ${t.danger}; }
  fieldset { border: 0; padding: 0; margin: 0; }
  legend { font-size: .9rem; margin-top: .75rem; }
  .row { display: flex; gap: .75rem; } .row > div { flex: 1; }
  button { margin-top: .75rem; padding: .6rem 1rem; font-size: 1rem; border: 0; border-radius: 4px; background: ${t.accent}; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: ${t.text}; border: 1px solid ${t.border}; }
  button.danger { background: ${t.danger}; }
  form.inline { display: inline; }
  .pay { width: 100%; margin-top: 1.25rem; }
  .error { color: ${t.danger}; background: ${t.errorBackground}; border: 1px solid ${t.danger}; padding: .6rem; border-radius: 4px; }
  .muted { color: ${t.muted}; font-size: .9rem; }
  ${t.ruledSections} { border-top: 1px solid ${t.rule}; padding: 1rem 0; }
  a { color: ${t.accent}; }
`;
}

/** Returns `page(title, body)` for one emulator: `product` goes into the test-mode badge. */
export function pageShell(product: string, theme: PageTheme): (title: string, body: string) => string {
  const css = style(theme);
  return (title, body) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${css}</style>
</head>
<body>
<main>
<p class="badge">Test mode · local ${product} emulator</p>
${body}
</main>
</body>
</html>`;
}

/** `January 5, 2026` (UTC). */
export function formatDay(date: Date): string {
  return date.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}
