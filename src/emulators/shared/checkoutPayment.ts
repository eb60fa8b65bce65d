/** The hosted checkout's payment input and its failure, as both emulators have them. */

/** What the hosted page's form submits. */
export interface PaymentDetails {
  card: string;
  email?: string;
  /** `MM / YY`; defaults to a date in the future. */
  expiry?: string;
  cvc?: string;
  /** Used when no other source (customer, session or checkout, the form) gives an email (the test control). */
  fallbackEmail?: string;
}

/** The payment could not go through; nothing changed and no webhook was sent. `F`: the form fields (and the checkout itself). */
export class PaymentError<F extends string> extends Error {
  constructor(
    message: string,
    readonly field: F,
    readonly kind: 'declined' | 'invalid' | 'unavailable',
  ) {
    super(message);
    this.name = 'CheckoutPaymentError';
  }
}
