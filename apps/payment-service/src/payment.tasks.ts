import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BatonTask, TerminalError, type TaskContext } from '@app/worker-sdk';
import { fraudVerdict } from '@app/samples';
import { PaymentConfirmationClient } from './payment-confirmation.client';

const concurrency = Number(process.env.SAMPLE_CONCURRENCY ?? 64);

/** The payment service's workers, written as NestJS methods with @BatonTask. */
@Injectable()
export class PaymentTasks {
  constructor(private readonly confirmations: PaymentConfirmationClient) {}

  @BatonTask('check_fraud', { concurrency })
  checkFraud(task: TaskContext<{ orderId: string; amount: number; customer?: { email?: string } }>): Record<string, unknown> {
    const { verdict, reason } = fraudVerdict(task.input);
    task.log(`fraud check of ${task.input.orderId}: ${verdict} (${reason})`);
    return { verdict, reason };
  }

  @BatonTask('charge_payment', { concurrency })
  charge(task: TaskContext<{ orderId: string; amount: number }>): Record<string, unknown> {
    if (!(task.input.amount > 0)) throw new TerminalError(`cannot charge ${task.input.amount} for ${task.input.orderId}`);
    // Derived from the order: a redelivered command charges the same payment, not a second one.
    const paymentId = `pay-${createHash('sha256').update(task.input.orderId).digest('hex').slice(0, 12)}`;
    this.confirmations.confirmLater(task.executionId, paymentId);
    return { paymentId, amount: task.input.amount, status: 'AUTHORIZED' };
  }

  @BatonTask('refund_payment', { concurrency })
  refund(task: TaskContext<{ orderId: string; paymentId?: string }>): Record<string, unknown> {
    task.log(`refunding ${task.input.paymentId ?? '(no payment)'} of ${task.input.orderId}`);
    return { refunded: Boolean(task.input.paymentId), paymentId: task.input.paymentId ?? null };
  }
}
