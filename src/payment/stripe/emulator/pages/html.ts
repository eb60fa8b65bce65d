import { formatDay, pageShell } from '../../../../emulators/shared/html.js';

export { esc } from '../../../../emulators/shared/html.js';

export const page = pageShell('Stripe', {
  background: '#f6f8fa',
  text: '#1a1f36',
  badgeBackground: '#ffde92',
  badgeText: '#5a3e00',
  border: '#c4c9d4',
  danger: '#df1b41',
  errorBackground: '#fff0f2',
  muted: '#697386',
  rule: '#e3e8ee',
  accent: '#635bff',
  ruledSections: 'section.subscription',
});

export function formatDate(sec: number): string {
  return formatDay(new Date(sec * 1000));
}
