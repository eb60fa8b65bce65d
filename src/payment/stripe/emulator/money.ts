/** "$29.00" from 2900 and "usd" (zero-decimal currencies such as JPY respected by Intl). */
export function formatAmount(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en-US', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return `${(amount / 100).toFixed(2)} ${code}`;
  }
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: code }).format(amount / 10 ** digits);
}
