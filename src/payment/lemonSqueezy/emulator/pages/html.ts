import { formatDay, pageShell } from '../../../../emulators/shared/html.js';

export { esc } from '../../../../emulators/shared/html.js';

export const page = pageShell('Lemon Squeezy', {
  background: '#f7f5ff',
  text: '#1f1635',
  badgeBackground: '#ffe066',
  badgeText: '#5a4500',
  border: '#c9c2dd',
  danger: '#d6204e',
  errorBackground: '#fff0f3',
  muted: '#6b6380',
  rule: '#ebe7f5',
  accent: '#7047eb',
  ruledSections: 'section.subscription, section.payment-method',
});

export function formatDate(iso: string | null): string {
  if (!iso) return '';
  return formatDay(new Date(iso));
}
