import { completed, failed, flowTest } from '@app/testing';
import { orderFulfilmentWorkflow, orderTaskDefs } from './order-fulfilment.workflow';

const order = { orderId: 'o-1', amount: 40, items: [{ sku: 'A', quantity: 1 }], customer: { email: 'ann@example.com', address: '1 Main St' } };
const checks = { validate_order: {}, reserve_inventory: { reservationId: 'r-1' } };

describe('the sample order flow, tested in process (no NATS, store or workers)', () => {
  it('given an accepted order and a payment that fails once, then it is charged on the retry, confirmed, shipped and notified', () => {
    flowTest(orderFulfilmentWorkflow, { taskDefs: orderTaskDefs })
      .outputs({ ...checks, check_fraud: { verdict: 'accept' }, wait_payment_confirmation: { confirmationId: 'c-1' }, ship_order: { trackingId: 'T-1' }, notify_shipped: {} })
      .mock('charge_payment', failed('gateway timeout'), completed({ paymentId: 'p-1' }))
      .run(order)
      .expect({ status: 'COMPLETED', path: ['validate_order', 'checks', 'reserve_inventory', 'check_fraud', 'checks_join', 'fraud_decision', 'charge_payment', 'charge_payment', 'wait_payment_confirmation', 'ship_order', 'notify_shipped'], output: { paymentId: 'p-1', trackingId: 'T-1', status: 'SHIPPED' } });
  });

  it('given a rejected fraud verdict, then the customer is told and the order is TERMINATED without a charge', () => {
    flowTest(orderFulfilmentWorkflow, { taskDefs: orderTaskDefs })
      .outputs({ ...checks, check_fraud: { verdict: 'reject', reason: 'amount over limit' }, notify_rejected: {} })
      .run(order)
      .expect({ status: 'TERMINATED', path: ['validate_order', 'checks', 'reserve_inventory', 'check_fraud', 'checks_join', 'fraud_decision', 'notify_rejected', 'reject_order'], output: { status: 'REJECTED' } });
  });

  it('given a shipment that fails for good, then the order FAILED at ship_order after its retries', () => {
    flowTest(orderFulfilmentWorkflow, { taskDefs: orderTaskDefs })
      .outputs({ ...checks, check_fraud: { verdict: 'accept' }, charge_payment: { paymentId: 'p-1' }, wait_payment_confirmation: {} })
      .mock('ship_order', failed('no address'), failed('no address'), failed('no address'))
      .run(order)
      .expect({ status: 'FAILED', tasks: { ship_order: 'FAILED' }, reason: 'ship_order' });
  });
});
