import { isWorkerSubject } from './permission-violations';

describe("which refused subjects are a worker's own", () => {
  it.each([
    'baton.task.ship_order',
    'baton.result.ship_order',
    'baton.dlq.baton.task.ship_order',
    '$JS.API.CONSUMER.CREATE.BATON_TASKS.baton-worker-ship_order.baton.task.ship_order',
    '$JS.API.CONSUMER.INFO.BATON_TASKS.baton-worker-ship_order',
    '$JS.API.CONSUMER.MSG.NEXT.BATON_TASKS.baton-worker-ship_order',
    '$JS.ACK.BATON_TASKS.baton-worker-ship_order.1.2.3.4.5.6',
  ])('given %s, then it is the ship_order worker’s', (subject) => {
    expect(isWorkerSubject(subject, 'ship_order')).toBe(true);
  });

  it.each(['baton.task.ship_order_eu', 'baton.result.charge_card', '$JS.API.CONSUMER.INFO.BATON_TASKS.baton-worker-ship_order_eu', '$JS.API.INFO', 'baton.execution.COMPLETED'])(
    'given %s, then it is not the ship_order worker’s',
    (subject) => {
      expect(isWorkerSubject(subject, 'ship_order')).toBe(false);
    },
  );
});
