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
  body { margin: 0; background: #f7f5ff; color: #1f1635; }
  main { max-width: 30rem; margin: 2rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
  .badge { display: inline-block; background: #ffe066; color: #5a4500; font-size: .75rem; font-weight: 600; padding: .15rem .5rem; border-radius: 4px; }
  h1 { font-size: 1.4rem; margin: .75rem 0 .25rem; }
  h2 { font-size: 1.1rem; margin: 0 0 .25rem; }
  .price { font-size: 1.8rem; font-weight: 600; margin: 0 0 1rem; }
  label { display: block; font-size: .9rem; margin: .75rem 0 .25rem; }
  input { box-sizing: border-box; width: 100%; padding: .55rem; font-size: 1rem; border: 1px solid #c9c2dd; border-radius: 4px; }
  input[aria-invalid="true"] { border-color: #d6204e; }
  fieldset { border: 0; padding: 0; margin: 0; }
  legend { font-size: .9rem; margin-top: .75rem; }
  .row { display: flex; gap: .75rem; } .row > div { flex: 1; }
  button { margin-top: .75rem; padding: .6rem 1rem; font-size: 1rem; border: 0; border-radius: 4px; background: #7047eb; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #1f1635; border: 1px solid #c9c2dd; }
  button.danger { background: #d6204e; }
  form.inline { display: inline; }
  .pay { width: 100%; margin-top: 1.25rem; }
  .error { color: #d6204e; background: #fff0f3; border: 1px solid #d6204e; padding: .6rem; border-radius: 4px; }
  .muted { color: #6b6380; font-size: .9rem; }
  section.subscription, section.payment-method { border-top: 1px solid #ebe7f5; padding: 1rem 0; }
  a { color: #7047eb; }
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
<p class="badge">Test mode · local Lemon Squeezy emulator</p>
${body}
</main>
</body>
</html>`;
}

export function formatDate(iso: string | null): string {
  if (!iso) return '';
  return new Date(iso).toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}
