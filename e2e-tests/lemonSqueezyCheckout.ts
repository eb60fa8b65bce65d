/** Pays a Lemon Squeezy emulator's hosted checkout as a buyer would: its card form, posted; the answer's status. */
export async function payLemonSqueezyCheckout(sessionUrl: string, email: string): Promise<number> {
  const paid = await fetch(sessionUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, cardNumber: '4242 4242 4242 4242', expiry: '12 / 34', cvc: '123' }),
  });
  return paid.status;
}
