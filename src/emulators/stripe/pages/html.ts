/** Escapes text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; background: #f6f8fa; color: #1a1f36; }
  main { max-width: 30rem; margin: 2rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
  .badge { display: inline-block; background: #ffde92; color: #5a3e00; font-size: .75rem; font-weight: 600; padding: .15rem .5rem; border-radius: 4px; }
  h1 { font-size: 1.4rem; margin: .75rem 0 .25rem; }
  h2 { font-size: 1.1rem; margin: 0 0 .25rem; }
  .price { font-size: 1.8rem; font-weight: 600; margin: 0 0 1rem; }
  label { display: block; font-size: .9rem; margin: .75rem 0 .25rem; }
  input { box-sizing: border-box; width: 100%; padding: .55rem; font-size: 1rem; border: 1px solid #c4c9d4; border-radius: 4px; }
  input[aria-invalid="true"] { border-color: #df1b41; }
  fieldset { border: 0; padding: 0; margin: 0; }
  legend { font-size: .9rem; margin-top: .75rem; }
  .row { display: flex; gap: .75rem; } .row > div { flex: 1; }
  button { margin-top: .75rem; padding: .6rem 1rem; font-size: 1rem; border: 0; border-radius: 4px; background: #635bff; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #1a1f36; border: 1px solid #c4c9d4; }
  button.danger { background: #df1b41; }
  form.inline { display: inline; }
  .pay { width: 100%; margin-top: 1.25rem; }
  .error { color: #df1b41; background: #fff0f2; border: 1px solid #df1b41; padding: .6rem; border-radius: 4px; }
  .muted { color: #697386; font-size: .9rem; }
  section.subscription { border-top: 1px solid #e3e8ee; padding: 1rem 0; }
  a { color: #635bff; }
`;

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="badge">Test mode · local Stripe emulator</p>
${body}
</main>
</body>
</html>`;
}

export function formatDate(sec: number): string {
  return new Date(sec * 1000).toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}
