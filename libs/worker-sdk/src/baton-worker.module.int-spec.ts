import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { closeNats, connectNats, workerDurable, TASKS_STREAM } from '@app/messaging';
import { RecordingLogger } from '@app/messaging/testing/recording-logger';
import { waitFor } from '@app/testing/wait-for';
import type { NatsConnection } from 'nats';
import { BatonTask } from './baton-task.decorator';
import { BatonWorkerModule } from './baton-worker.module';
import { BatonWorkerRegistry } from './baton-worker.registry';
import type { TaskContext } from './task.context';
import { TerminalError } from './terminal.error';
import { WorkerTestBed } from './testing/worker-test-bed';

// Real servers answer in milliseconds, but a loaded CI machine may need more than Jest's 5 s default.
jest.setTimeout(30_000);

@Injectable()
class FeeCalculator {
  feeFor(amount: number): number {
    return Math.round(amount * 0.03 * 100) / 100;
  }
}

describe('BatonWorkerModule with @BatonTask (real NATS)', () => {
  let nc: NatsConnection;
  let charges: WorkerTestBed;
  let refunds: WorkerTestBed;
  let app: INestApplicationContext | undefined;

  beforeAll(async () => {
    nc = await connectNats({ name: 'worker-module-int-spec' });
  });

  beforeEach(async () => {
    charges = await WorkerTestBed.create(nc);
    refunds = await WorkerTestBed.create(nc);
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await charges.dispose();
    await refunds.dispose();
  });

  afterAll(async () => {
    await closeNats(nc);
  });

  /** Task types are per test run, so the provider class is built once they are known. */
  function paymentTasks(chargeType: string, refundType: string) {
    @Injectable()
    class PaymentTasks {
      constructor(private readonly fees: FeeCalculator) {}

      @BatonTask(chargeType, { concurrency: 2 })
      async charge(task: TaskContext<{ amount: number }>) {
        task.log('charging');
        return { charged: task.input.amount, fee: this.fees.feeFor(task.input.amount) };
      }

      @BatonTask(refundType)
      refund(): never {
        throw new TerminalError('refunds are closed');
      }
    }
    return PaymentTasks;
  }

  async function bootstrap(): Promise<INestApplicationContext> {
    @Module({
      imports: [BatonWorkerModule.forRoot({ natsUrl: process.env.BATON_NATS_URL, workerId: 'nest-worker', logger: new RecordingLogger() })],
      providers: [FeeCalculator, paymentTasks(charges.taskType, refunds.taskType)],
    })
    class PaymentServiceModule {}

    const context = await NestFactory.createApplicationContext(PaymentServiceModule, { logger: false });
    app = context;
    return context;
  }

  it('runs decorated provider methods as workers, with their dependencies, from bootstrap to shutdown', async () => {
    // given a Nest application with two @BatonTask methods
    const context = await bootstrap();
    expect(context.get(BatonWorkerRegistry).workers.map((worker) => worker.taskType).sort()).toEqual([charges.taskType, refunds.taskType].sort());

    // when commands for both arrive
    const charge = charges.command({ input: { amount: 100 } });
    const refund = refunds.command();
    await charges.send(charge);
    await refunds.send(refund);

    // then each method's outcome is reported on its result subject
    await waitFor('both results', () => charges.resultsFor(charge.taskId).length === 1 && refunds.resultsFor(refund.taskId).length === 1);
    expect(charges.resultsFor(charge.taskId)[0]).toMatchObject({ status: 'COMPLETED', output: { charged: 100, fee: 3 }, workerId: 'nest-worker', logs: [{ log: 'charging' }] });
    expect(refunds.resultsFor(refund.taskId)[0]).toMatchObject({ status: 'FAILED_WITH_TERMINAL_ERROR', reason: 'refunds are closed' });
    const durable = await charges.jsm.consumers.info(TASKS_STREAM, workerDurable(charges.taskType));
    expect(durable.config.filter_subject).toBe(`baton.task.${charges.taskType}`);

    // when the application closes, then the workers stop pulling
    await context.close();
    app = undefined;
    const late = charges.command({ input: { amount: 1 } });
    await charges.send(late);
    await waitFor('the late command to stay queued', async () => (await charges.pendingCommands()) === 1);
    expect(charges.resultsFor(late.taskId)).toEqual([]);
  });

  it('refuses two methods for the same task type', async () => {
    const taskType = charges.taskType;
    @Injectable()
    class Twice {
      @BatonTask(taskType)
      one(): void {}

      @BatonTask(taskType)
      two(): void {}
    }
    @Module({ imports: [BatonWorkerModule.forRoot({ logger: new RecordingLogger() })], providers: [Twice] })
    class TwiceModule {}

    await expect(NestFactory.createApplicationContext(TwiceModule, { logger: false, abortOnError: false })).rejects.toMatchObject({ code: 'DUPLICATE_BATON_TASK' });
  });

  it('rejects a task type that cannot be a NATS subject token', () => {
    expect(() => BatonTask('charge.payment')).toThrow(/must match/);
  });
});
