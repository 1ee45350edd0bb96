import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BatonWorkerModule } from '@app/worker-sdk';
import { PaymentConfirmationClient } from './payment-confirmation.client';
import { PaymentTasks } from './payment.tasks';

/** The payment service: a NestJS application context (no HTTP server of its own) running @BatonTask workers. */
@Module({
  imports: [BatonWorkerModule.forRoot({})],
  providers: [PaymentTasks, PaymentConfirmationClient],
})
export class PaymentServiceModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(PaymentServiceModule, { logger: ['error', 'warn', 'log'] });
  app.enableShutdownHooks();
  await app.init();
  console.log(JSON.stringify({ level: 'info', service: 'payment-service', msg: 'payment-service ready', taskTypes: ['check_fraud', 'charge_payment', 'refund_payment'] }));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
