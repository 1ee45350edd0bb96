import { forkJoin, simple, switchTask, taskOutput, terminate, wait, workflow, workflowInput, type TaskDef, type WorkflowDef } from '@app/domain';

/** Name of the sample e-commerce workflow. */
export const ORDER_WORKFLOW = 'order_fulfilment';
/** Its failureWorkflow: refunds the payment and releases the inventory of a failed order. */
export const COMPENSATION_WORKFLOW = 'order_compensation';

const orderId = workflowInput('orderId');
const customer = workflowInput('customer');

/**
 * The README's order flow: validate the order; reserve inventory and check fraud in parallel;
 * on a rejected verdict notify the customer and TERMINATE; otherwise charge the payment, WAIT
 * for the payment service's asynchronous confirmation, ship, and notify.
 */
export const orderFulfilmentWorkflow: WorkflowDef = workflow(ORDER_WORKFLOW, 1)
  .description('Sample e-commerce order flow (README)')
  .failureWorkflow(COMPENSATION_WORKFLOW)
  .inputs('orderId', 'customer', 'items', 'amount')
  .tasks(
    simple('validate_order', 'validate_order', { orderId, items: workflowInput('items'), amount: workflowInput('amount') }),
    forkJoin(
      'checks',
      [
        [simple('reserve_inventory', 'reserve_inventory', { orderId, items: workflowInput('items') })],
        [simple('check_fraud', 'check_fraud', { orderId, customer, amount: workflowInput('amount') })],
      ],
      { joinRef: 'checks_join' },
    ),
    switchTask('fraud_decision', {
      expression: 'verdict',
      inputParameters: { verdict: taskOutput('check_fraud', 'verdict') },
      cases: {
        reject: [
          simple('notify_customer', 'notify_rejected', { orderId, customer, template: 'order_rejected', reason: taskOutput('check_fraud', 'reason') }),
          terminate('reject_order', 'TERMINATED', { reason: 'rejected by the fraud check', workflowOutput: { orderId, status: 'REJECTED' } }),
        ],
      },
      defaultCase: [
        simple('charge_payment', 'charge_payment', { orderId, amount: workflowInput('amount'), customer }),
        wait('wait_payment_confirmation'),
        simple('ship_order', 'ship_order', { orderId, items: workflowInput('items'), address: workflowInput('customer.address') }),
        simple('notify_customer', 'notify_shipped', { orderId, customer, template: 'order_shipped', trackingId: taskOutput('ship_order', 'trackingId') }),
      ],
    }),
  )
  .outputs({
    orderId,
    status: 'SHIPPED',
    reservationId: taskOutput('reserve_inventory', 'reservationId'),
    paymentId: taskOutput('charge_payment', 'paymentId'),
    confirmation: taskOutput('wait_payment_confirmation', 'confirmationId'),
    trackingId: taskOutput('ship_order', 'trackingId'),
  })
  .build();

const failedOrderId = '${workflow.input.input.orderId}';

/**
 * Compensation of a failed order, started by Baton with the failed execution's id, reason,
 * failed task, input and task outputs: refund the payment (if one was taken) and release the
 * inventory in parallel, then tell the customer.
 */
export const orderCompensationWorkflow: WorkflowDef = workflow(COMPENSATION_WORKFLOW, 1)
  .description('Compensation of a failed order: refund, release, notify')
  .tasks(
    forkJoin(
      'undo',
      [
        [simple('refund_payment', 'refund_payment', { orderId: failedOrderId, paymentId: '${workflow.input.taskOutputs.charge_payment.paymentId}' })],
        [simple('release_inventory', 'release_inventory', { orderId: failedOrderId, reservationId: '${workflow.input.taskOutputs.reserve_inventory.reservationId}' })],
      ],
      { joinRef: 'undo_join' },
    ),
    simple('notify_customer', 'notify_failed', { orderId: failedOrderId, customer: '${workflow.input.input.customer}', template: 'order_failed', reason: '${workflow.input.reason}' }),
  )
  .outputs({ orderId: failedOrderId, failedExecution: '${workflow.input.workflowId}', refunded: taskOutput('refund_payment', 'refunded'), released: taskOutput('release_inventory', 'released') })
  .build();

const workerTask = (name: string, overrides: Partial<TaskDef> = {}): TaskDef => ({
  name,
  ownerEmail: 'samples@baton.dev',
  retryCount: 2,
  retryLogic: 'FIXED',
  retryDelaySeconds: 1,
  responseTimeoutSeconds: 30,
  timeoutSeconds: 120,
  timeoutPolicy: 'TIME_OUT_WF',
  ...overrides,
});

/** Task definitions of the sample workers. */
export const orderTaskDefs: TaskDef[] = [
  workerTask('validate_order'),
  workerTask('reserve_inventory'),
  workerTask('check_fraud'),
  workerTask('charge_payment', { retryCount: 3, retryLogic: 'EXPONENTIAL_BACKOFF' }),
  workerTask('ship_order'),
  workerTask('notify_customer', { retryCount: 5 }),
  workerTask('refund_payment', { retryCount: 5 }),
  workerTask('release_inventory', { retryCount: 5 }),
];

/** Payment confirmations complete this WAIT task. */
export const PAYMENT_CONFIRMATION_REF = 'wait_payment_confirmation';
