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
    z.object({ workspaceName, planName: z.string().min(1).nullish(), accessUntil: isoDate.nullish() }),
    (data) => {
      const subscription = data.planName ? `${data.planName} subscription` : 'subscription';
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
    z.object({ workspaceName, planName: z.string().min(1).nullish() }),
    (data) => {
      const subscription = data.planName ? `${data.planName} subscription` : 'subscription';
      return {
        subject: `Your ${subscription} for ${data.workspaceName} has ended`,
        paragraphs: [
          `The ${subscription} of ${data.workspaceName} has ended and its features are no longer available.`,
          "You can subscribe again at any time from the workspace's billing settings.",
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

function formatCredits(count: number): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'credit' : 'credits'}`;
}
