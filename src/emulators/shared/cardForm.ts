import { esc } from './html.js';

/**
 * The hosted checkout page's payment form, as both emulators render it: email, card number, expiry and CVC,
 * with the field the payment error names marked invalid, and the list of test cards.
 */

/** What the form shows again after a failed Pay: what was typed, and the error (its `field` is marked). */
export interface CardFormState {
  email?: string;
  cardNumber?: string;
  expiry?: string;
  error?: { field: string };
}

export function field(id: string, label: string, attrs: string, state: CardFormState, value: string | undefined, invalidWhen: string): string {
  const invalid = state.error?.field === invalidWhen;
  return `<label for="${id}">${esc(label)}</label>
<input id="${id}" name="${id}" ${attrs} value="${esc(value ?? '')}"${invalid ? ' aria-invalid="true" aria-describedby="payment-error"' : ''}>`;
}

/** The form posting to `action`; `emailAttrs` are the email input's attributes. */
export function paymentForm(action: string, state: CardFormState, email: string | undefined, emailAttrs: string): string {
  return `<form method="post" action="${esc(action)}" aria-label="Payment details">
${field('email', 'Email', emailAttrs, state, email, 'email')}
<fieldset>
<legend>Card information</legend>
${field('cardNumber', 'Card number', 'inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242" required', state, state.cardNumber, 'card')}
<div class="row">
<div>${field('expiry', 'Expiration date (MM / YY)', 'autocomplete="cc-exp" placeholder="MM / YY" required', state, state.expiry, 'expiry')}</div>
<div>${field('cvc', 'Security code (CVC)', 'inputmode="numeric" autocomplete="cc-csc" placeholder="123" required', state, '', 'cvc')}</div>
</div>
</fieldset>
<button type="submit" class="pay">Pay</button>
</form>`;
}

/** The test cards both emulators know; `failLater` describes 4000 0000 0000 0341. */
export function testCardList(failLater: string): string {
  return `<details>
<summary>Test cards</summary>
<ul class="muted">
<li>4242 4242 4242 4242: succeeds</li>
<li>4000 0000 0000 0002: declined</li>
<li>4000 0000 0000 0341: ${failLater}</li>
</ul>
</details>`;
}
