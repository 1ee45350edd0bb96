import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { NatsConnection } from 'nats';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { BATON_CONFIG, type BatonConfig } from '../config/baton-config';
import { NATS_CONNECTION } from '../messaging/nats.providers';
import { pingEventStore } from '../store/event-store-ping';
import { OrchestratorMetrics } from './orchestrator-metrics.service';
import { withTimeout } from './with-timeout';
import { Public, Roles } from '../auth/roles';

/**
 * `/health` (NATS and event-store checks, each bounded to 2 s; 503 naming the check that is down)
 * and `/metrics` (Prometheus).
 */
@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NATS_CONNECTION) private readonly nats: NatsConnection,
    private readonly metrics: OrchestratorMetrics,
    @Inject(BATON_CONFIG) private readonly config: BatonConfig,
  ) {}

  @Public()
  @Get('health')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: NATS connected and the event store answering' })
  check() {
    return this.health.check([
      // Who answers: a launcher (npm run demo, the tests) checks it is the process it started.
      () => this.indicators.check('process').up({ instance: this.config.instanceId, pid: process.pid }),
      async () => {
        const session = this.indicators.check('eventStore');
        try {
          await pingEventStore(this.store);
          return session.up();
        } catch (error) {
          return session.down({ message: error instanceof Error ? error.message : String(error) });
        }
      },
      async () => {
        const session = this.indicators.check('nats');
        if (this.nats.isClosed()) return session.down({ message: 'connection closed' });
        try {
          await withTimeout(this.nats.flush(), 2_000, () => new Error('NATS did not answer a ping within 2 s'));
          return session.up({ server: this.nats.getServer() });
        } catch (error) {
          return session.down({ message: error instanceof Error ? error.message : String(error) });
        }
      },
    ]);
  }

  @Roles('auditor')
  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiExcludeEndpoint()
  async prometheus(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
