import { z } from 'zod';
import { formatMoney } from '../payment/money.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** What a template composes: plain-text paragraphs (escaped once, when turned into HTML) and links. */
type Paragraph = string | { text: string; href: string };
interface Content {
  subject: string;
  paragraphs: Paragraph[];
}

// Template data travels through the outbox's JSON column, so dates are ISO strings, and each template
// validates its data before rendering: a malformed row fails with a message instead of mailing "undefined".
const workspaceName = z.string().min(1);
const amount = z.number().int(); // in the currency's minor unit
const currency = z.string().regex(/^[A-Za-z]{3}$/, 'must be a 3-letter currency code');
const isoDate = z.iso.datetime({ offset: true });
const creditCount = z.number().int().positive();
const planName = z.string().min(1).nullish();

function defineTemplate<S extends z.ZodType>(schema: S, compose: (data: z.output<S>) => Content) {
  return {
    schema,
    render(template: string, data: unknown): RenderedEmail {
      const parsed = schema.safeParse(data);
      if (!parsed.success) {
        throw new Error(`Invalid data for email template "${template}":\n${z.prettifyError(parsed.error)}`);
      }
      return toRenderedEmail(compose(parsed.data));
    },
  };
}

// Optional values are nullish: the engine passes null when it does not know them (an unknown plan id,
// a subscription without a period end).
const templates = {
  payment_succeeded: defineTemplate(
    z.object({
      workspaceName,
      amount,
      currency,
      paidAt: isoDate,
      // a subscription payment names its plan, a credit pack its credits
      planName: z.string().min(1).nullish(),
      credits: creditCount.nullish(),
    }),
    (data) => {
      const price = formatMoney(data.amount, data.currency);
      const details = [
        `Workspace: ${data.workspaceName}`,
        data.planName ? `Plan: ${data.planName}` : null,
        data.credits ? `Credits: ${formatCredits(data.credits)}` : null,
        `Amount: ${price}`,
        `Paid on: ${formatDate(data.paidAt)}`,
      ].filter((line) => line !== null);
      return {
        subject: `Receipt for ${data.workspaceName}: ${price}`,
        paragraphs: [
          `Thank you, we received your payment for ${data.workspaceName}.`,
          details.join('\n'),
          'Keep this email as your receipt.',
        ],
      };
    },
  ),

  payment_failed: defineTemplate(
    z.object({
      workspaceName,
      amount,
      currency,
      reason: z.string().nullish(),
      billingUrl: z.url({ protocol: /^https?$/ }).nullish(),
    }),
    (data) => {
      const failure = `We could not collect ${formatMoney(data.amount, data.currency)} for ${data.workspaceName}.`;
      return {
        subject: `Payment failed for ${data.workspaceName}`,
        paragraphs: [
          data.reason ? `${failure}\nReason: ${data.reason}` : failure,
          data.billingUrl
            ? 'Please update your payment method so the payment can be retried and your subscription stays active.'
            : "Please update your payment method in the workspace's billing settings so the payment can be retried and your subscription stays active.",
          ...(data.billingUrl ? [{ text: 'Update your payment method', href: data.billingUrl }] : []),
        ],
      };
    },
  ),

  // Cancelled at period end: access continues until then.
  subscription_cancelled: defineTemplate(
    z.object({ workspaceName, planName, accessUntil: isoDate.nullish() }),
    (data) => {
      const subscription = subscriptionOf(data.planName);
      const until = data.accessUntil ? formatDate(data.accessUntil) : 'the end of the current billing period';
      return {
        subject: `Your ${subscription} for ${data.workspaceName} is cancelled`,
        paragraphs: [
          `The ${subscription} of ${data.workspaceName} is cancelled and will not renew.`,
          `You keep access until ${until}.`,
        ],
      };
    },
  ),

  subscription_ended: defineTemplate(
    z.object({ workspaceName, planName }),
    (data) => {
      const subscription = subscriptionOf(data.planName);
      return {
        subject: `Your ${subscription} for ${data.workspaceName} has ended`,
        paragraphs: [
          `The ${subscription} of ${data.workspaceName} has ended and its features are no longer available.`,
          "You can subscribe again at any time from the workspace's billing settings.",
        ],
      };
    },
  ),

  // Changed now (an upgrade), or at the renewal a downgrade was deferred to.
  plan_changed: defineTemplate(
    z.object({ workspaceName, fromPlanName: planName, toPlanName: z.string().min(1) }),
    (data) => ({
      subject: `${data.workspaceName} is now on the ${data.toPlanName} plan`,
      paragraphs: [
        `The subscription of ${data.workspaceName} is now on the ${data.toPlanName} plan${data.fromPlanName ? ` (it was on ${data.fromPlanName})` : ''}.`,
        'Your next invoice shows what it costs from now on.',
      ],
    }),
  ),

  // A cancellation at period end was undone.
  subscription_resumed: defineTemplate(
    z.object({ workspaceName, planName, renewsOn: isoDate.nullish() }),
    (data) => ({
      subject: `Your ${subscriptionOf(data.planName)} for ${data.workspaceName} continues`,
      paragraphs: [
        `The ${subscriptionOf(data.planName)} of ${data.workspaceName} is no longer cancelled${data.renewsOn ? `: it renews on ${formatDate(data.renewsOn)}` : ' and renews as usual'}.`,
      ],
    }),
  ),

  trial_ending: defineTemplate(
    z.object({ workspaceName, planName, trialEnd: isoDate }),
    (data) => ({
      subject: `Your free trial for ${data.workspaceName} ends on ${formatDate(data.trialEnd)}`,
      paragraphs: [
        `The free trial of the ${subscriptionOf(data.planName)} of ${data.workspaceName} ends on ${formatDate(data.trialEnd)}.`,
        "Then the payment method on file is charged and the subscription continues. To stop before then, cancel it in the workspace's billing settings.",
      ],
    }),
  ),

  // Dunning, step 1: the processor retries; access continues until the grace period ends.
  subscription_past_due: defineTemplate(
    z.object({ workspaceName, planName, accessUntil: isoDate }),
    (data) => ({
      subject: `Payment past due for ${data.workspaceName}`,
      paragraphs: [
        `We could not collect the latest payment for the ${subscriptionOf(data.planName)} of ${data.workspaceName}, and will try again.`,
        `The workspace keeps its features until ${formatDate(data.accessUntil)}. If no payment has gone through by then, they stop until one does.`,
        "Please update your payment method in the workspace's billing settings.",
      ],
    }),
  ),

  // Dunning, step 2: the grace period ran out while the payment is still outstanding.
  subscription_access_ended: defineTemplate(
    z.object({ workspaceName, planName }),
    (data) => ({
      subject: `Features paused for ${data.workspaceName}: payment outstanding`,
      paragraphs: [
        `The ${subscriptionOf(data.planName)} of ${data.workspaceName} is still past due, so its features are unavailable.`,
        "Update your payment method in the workspace's billing settings: access returns as soon as the payment goes through.",
      ],
    }),
  ),

  // Dunning, the way out: the outstanding payment went through.
  subscription_recovered: defineTemplate(
    z.object({ workspaceName, planName }),
    (data) => ({
      subject: `Payment received: ${data.workspaceName} is active again`,
      paragraphs: [`The outstanding payment for the ${subscriptionOf(data.planName)} of ${data.workspaceName} went through. The subscription is active again, with all its features.`],
    }),
  ),

  // One refund step (a partial refund, or the rest): what came back now, and what that means in all.
  refund_issued: defineTemplate(
    z.object({
      workspaceName,
      amount,
      currency,
      paymentAmount: amount,
      totalRefunded: amount,
      creditsRevoked: z.number().int().nonnegative(),
    }),
    (data) => {
      const refunded = formatMoney(data.amount, data.currency);
      const whole = data.totalRefunded >= data.paymentAmount;
      return {
        subject: `Refund of ${refunded} for ${data.workspaceName}`,
        paragraphs: [
          `We refunded ${refunded} of a ${formatMoney(data.paymentAmount, data.currency)} payment by ${data.workspaceName}.`,
          whole ? 'The payment is now refunded in full.' : `In all, ${formatMoney(data.totalRefunded, data.currency)} of it has been refunded.`,
          ...(data.creditsRevoked > 0 ? [`${formatCredits(data.creditsRevoked)} bought with it ${data.creditsRevoked === 1 ? 'was' : 'were'} taken back.`] : []),
          'The money goes back to the payment method that paid.',
        ],
      };
    },
  ),

  // Doubles as the receipt of a credit pack when the amount paid is given.
  credits_purchased: defineTemplate(
    z.object({
      workspaceName,
      credits: creditCount,
      balance: z.number().int(),
      amount: amount.nullish(),
      currency: currency.nullish(),
    }),
    (data) => {
      const paid = data.amount != null && data.currency ? `Amount paid: ${formatMoney(data.amount, data.currency)}` : null;
      return {
        subject: `${formatCredits(data.credits)} added to ${data.workspaceName}`,
        paragraphs: [
          `We added ${formatCredits(data.credits)} to ${data.workspaceName}.`,
          [paid, `New balance: ${formatCredits(data.balance)}`].filter((line) => line !== null).join('\n'),
        ],
      };
    },
  ),
};

export type EmailTemplateName = keyof typeof templates;

/** The data each template takes, by template name. */
export type EmailTemplates = { [Name in EmailTemplateName]: z.input<(typeof templates)[Name]['schema']> };

function isEmailTemplate(name: string): name is EmailTemplateName {
  return Object.hasOwn(templates, name);
}

export function renderEmail<Name extends EmailTemplateName>(template: Name, data: EmailTemplates[Name]): RenderedEmail {
  return renderStoredEmail(template, data);
}

/** Renders an outbox row, whose template name and data come back from the database untyped. */
export function renderStoredEmail(template: string, data: unknown): RenderedEmail {
  if (!isEmailTemplate(template)) {
    throw new Error(`Unknown email template "${template}" (known: ${Object.keys(templates).join(', ')})`);
  }
  return templates[template].render(template, data);
}

function toRenderedEmail({ subject, paragraphs }: Content): RenderedEmail {
  const text = paragraphs.map((p) => (typeof p === 'string' ? p : `${p.text}: ${p.href}`)).join('\n\n');
  const body = paragraphs
    .map((p) =>
      typeof p === 'string'
        ? `<p>${escapeHtml(p).replaceAll('\n', '<br>')}</p>`
        : `<p><a href="${escapeHtml(p.href)}">${escapeHtml(p.text)}</a></p>`,
    )
    .join('\n');
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"></head>\n<body style="font-family: sans-serif; line-height: 1.5">\n${body}\n</body></html>\n`;
  return { subject, text: `${text}\n`, html };
}

function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

// Dates only, in UTC: the server's time zone must not change what an email says.
const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });

function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

/** "Pro subscription", or just "subscription" when the plan is unknown. */
function subscriptionOf(planName: string | null | undefined): string {
  return planName ? `${planName} subscription` : 'subscription';
}

function formatCredits(count: number): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'credit' : 'credits'}`;
}
