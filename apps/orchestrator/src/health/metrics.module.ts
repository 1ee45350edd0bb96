import { Module } from '@nestjs/common';
import { OrchestratorMetrics } from './orchestrator-metrics.service';

/** The Prometheus metrics every feature counts into. */
@Module({ providers: [OrchestratorMetrics], exports: [OrchestratorMetrics] })
export class MetricsModule {}
