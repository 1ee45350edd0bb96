import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { cappedBackoff, delay } from '@app/common';
import { PAYMENT_CONFIRMATION_REF, httpRequest } from '@app/samples';

/** Between tries: 100 ms doubling up to 2 s. */
const CONFIRM_RETRY = { initialMs: 100, maxMs: 2_000 };

/**
 * Confirms a charge asynchronously, the way a payment provider's webhook would: a moment after
 * charging, it completes the order's WAIT task through Baton's Conductor-compatible endpoint
 * `POST /api/tasks/{workflowId}/{taskRefName}/COMPLETED`. The WAIT may not be scheduled yet
 * when the confirmation is sent (the charge result is still on its way), so 404/409 are
 * retried with backoff.
 */
@Injectable()
export class PaymentConfirmationClient implements OnApplicationShutdown {
  private readonly logger = new Logger(PaymentConfirmationClient.name);
  private readonly pending = new Set<Promise<void>>();
  private readonly baseUrl = process.env.BATON_API_URL ?? 'http://127.0.0.1:8080';
  private readonly delayMs = Number(process.env.PAYMENT_CONFIRM_DELAY_MS ?? 100);
  /** A worker (or operator) token of the orchestrator's API, when it requires one (docs/security.md). */
  private readonly auth: Record<string, string> = process.env.BATON_TOKEN ? { authorization: `Bearer ${process.env.BATON_TOKEN}` } : {};

  /** Schedules the confirmation; returns at once. */
  confirmLater(executionId: string, paymentId: string): void {
    const run = this.confirm(executionId, paymentId).catch((error: unknown) => this.logger.error(`confirmation of ${paymentId} for ${executionId} failed: ${String(error)}`));
    this.pending.add(run);
    void run.finally(() => this.pending.delete(run));
  }

  private async confirm(executionId: string, paymentId: string): Promise<void> {
    await delay(this.delayMs);
    const url = `${this.baseUrl}/api/tasks/${encodeURIComponent(executionId)}/${PAYMENT_CONFIRMATION_REF}/COMPLETED`;
    const body = JSON.stringify({ paymentId, confirmationId: `conf-${paymentId}`, confirmedAt: new Date().toISOString() });
    let status = 0;
    for (let attempt = 1; attempt <= 60; attempt += 1) {
      try {
        const response = await httpRequest('POST', url, body, { ...this.auth, 'x-baton-client': 'payment-service', 'x-request-id': `confirm-${paymentId}` });
        status = response.status;
        if (status >= 200 && status < 300) return;
        const text = response.text;
        // The WAIT is already completed (a redelivered charge confirms twice): nothing to do.
        if (status === 409 && text.includes('DUPLICATE_RESULT')) return;
        if (status !== 404 && status !== 409 && status < 500) throw new Error(`Baton answered ${status}: ${text}`);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('Baton answered')) throw error;
        status = 0;
        this.logger.warn(`confirming ${paymentId}: attempt ${attempt} failed (${String(error)}${error instanceof Error && error.cause ? `: ${String(error.cause)}` : ''}), retrying`);
      }
      await delay(cappedBackoff(attempt, CONFIRM_RETRY));
    }
    throw new Error(`gave up confirming after 60 attempts (last status ${status})`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
