/** An order as the sample services see it. */
export interface SampleOrder {
  readonly orderId: string;
  readonly customer: { readonly id: string; readonly email: string; readonly address: string };
  readonly items: readonly { readonly sku: string; readonly quantity: number; readonly price: number }[];
  readonly amount: number;
}

/** Orders above this amount, or from a `@fraud.test` address, are rejected by the sample fraud check. */
export const FRAUD_AMOUNT_LIMIT = 1_000;

/** The sample fraud rule: deterministic, so tests know each order's outcome. */
export function fraudVerdict(order: { amount: number; customer?: { email?: string } }): { verdict: 'accept' | 'reject'; reason: string } {
  if (order.customer?.email?.endsWith('@fraud.test')) return { verdict: 'reject', reason: 'customer on the fraud list' };
  if (order.amount > FRAUD_AMOUNT_LIMIT) return { verdict: 'reject', reason: `amount ${order.amount} above ${FRAUD_AMOUNT_LIMIT}` };
  return { verdict: 'accept', reason: 'low risk' };
}

/**
 * A sample order; every `rejectEvery`-th one is rejected by the fraud check, and every
 * `noAddressEvery`-th one has no shipping address, so shipping fails for good and the order is
 * compensated.
 */
export function sampleOrder(n: number, options: { rejectEvery?: number; noAddressEvery?: number; prefix?: string } = {}): SampleOrder {
  const rejected = options.rejectEvery !== undefined && options.rejectEvery > 0 && n % options.rejectEvery === 0;
  const noAddress = !rejected && options.noAddressEvery !== undefined && options.noAddressEvery > 0 && n % options.noAddressEvery === 0;
  const quantity = 1 + (n % 3);
  const price = rejected ? 2_500 : 19.99;
  return {
    orderId: `${options.prefix ?? 'order'}-${n}`,
    customer: { id: `c-${n % 50}`, email: `customer${n % 50}@example.com`, address: noAddress ? '' : `${n} Main Street` },
    items: [{ sku: `SKU-${n % 7}`, quantity, price }],
    amount: Math.round(quantity * price * 100) / 100,
  };
}
