import { describe, expect, it } from 'vitest';
import { FormParseError, parseForm } from './formBody.js';
import { periodEnd } from './periods.js';
import { previousAttributes } from './snapshot.js';

describe('parseForm', () => {
  it('parses Stripe bracket keys into nested objects and arrays', () => {
    const parsed = parseForm(
      'mode=subscription&line_items[0][price]=price_pro&line_items[0][quantity]=1&metadata[workspaceId]=ws%201&subscription_data[metadata][plan]=pro&expand[]=a&expand[]=b&x=a+b',
    );
    expect(parsed).toEqual({
      mode: 'subscription',
      line_items: [{ price: 'price_pro', quantity: '1' }],
      metadata: { workspaceId: 'ws 1' },
      subscription_data: { metadata: { plan: 'pro' } },
      expand: ['a', 'b'],
      x: 'a b',
    });
  });

  it('accepts percent-encoded brackets and keeps empty values (used to unset)', () => {
    expect(parseForm('metadata%5Bk%5D=&items%5B1%5D=b&items%5B0%5D=a')).toEqual({ metadata: { k: '' }, items: ['a', 'b'] });
  });

  it('rejects prototype keys and conflicting shapes', () => {
    expect(() => parseForm('__proto__[x]=1')).toThrow(FormParseError);
    expect(() => parseForm('a[constructor]=1')).toThrow(FormParseError);
    expect(() => parseForm('a=1&a[b]=2')).toThrow(FormParseError);
    expect(() => parseForm('a[b=1')).toThrow(FormParseError);
  });
});

describe('periodEnd', () => {
  const at = (iso: string) => Date.parse(iso) / 1000;
  const iso = (sec: number) => new Date(sec * 1000).toISOString();

  it('adds calendar months on the anchor day, clamped to short months', () => {
    const jan31 = at('2026-01-31T10:00:00Z');
    const feb = periodEnd(jan31, 'month', jan31);
    expect(iso(feb)).toBe('2026-02-28T10:00:00.000Z');
    expect(iso(periodEnd(feb, 'month', jan31))).toBe('2026-03-31T10:00:00.000Z');
    expect(iso(periodEnd(at('2026-12-15T00:00:00Z'), 'month'))).toBe('2027-01-15T00:00:00.000Z');
  });

  it('adds a year for yearly prices', () => {
    expect(iso(periodEnd(at('2028-02-29T00:00:00Z'), 'year'))).toBe('2029-02-28T00:00:00.000Z');
  });
});

describe('previousAttributes', () => {
  it('keeps old values of changed fields and only the changed metadata keys', () => {
    const before = { a: 1, b: 'x', metadata: { keep: '1', change: 'old' } as Record<string, string> };
    const after = { a: 1, b: 'y', metadata: { keep: '1', change: 'new', added: 'z' } as Record<string, string> };
    expect(previousAttributes(before, after)).toEqual({ b: 'x', metadata: { change: 'old', added: null } });
  });
});
