import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of the orchestrator, served at `/metrics`. */
@Injectable()
export class OrchestratorMetrics {
  readonly registry = new Registry();

  readonly readModelQuarantined = new Counter({
    name: 'baton_read_model_quarantined_total',
    help: 'Events a read model could not apply, recorded in its quarantine (GET /api/operations/quarantine) and skipped',
    labelNames: ['projection', 'type'],
    registers: [this.registry],
  });
  readonly eventsAppended = new Counter({ name: 'baton_events_appended_total', help: 'Execution events stored, by type', labelNames: ['type'], registers: [this.registry] });
  readonly executionsStarted = new Counter({ name: 'baton_executions_started_total', help: 'Executions started', labelNames: ['workflow'], registers: [this.registry] });
  readonly executionsEnded = new Counter({ name: 'baton_executions_ended_total', help: 'Executions ended, by status', labelNames: ['status'], registers: [this.registry] });
  readonly timeoutAlerts = new Counter({ name: 'baton_timeout_alerts_total', help: 'Timeouts under policy ALERT_ONLY, by scope (task, workflow)', labelNames: ['scope'], registers: [this.registry] });
  readonly commands = new Counter({ name: 'baton_commands_total', help: 'Commands handled, by type and outcome', labelNames: ['command', 'outcome'], registers: [this.registry] });
  readonly commandSeconds = new Histogram({
    name: 'baton_command_duration_seconds',
    help: 'Time from receiving a command to its events being stored',
    labelNames: ['command'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly httpSeconds = new Histogram({
    name: 'baton_http_request_duration_seconds',
    help: 'HTTP requests, by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly inProcessTasks = new Histogram({
    name: 'baton_in_process_task_duration_seconds',
    help: 'System tasks the orchestrator runs itself (HTTP, INLINE, LAMBDA, JSON_JQ_TRANSFORM), by type and outcome',
    labelNames: ['task_type', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly inbound = new Counter({ name: 'baton_inbound_messages_total', help: 'Inbound NATS messages, by subject and outcome (acked, nacked, dead_lettered)', labelNames: ['subject', 'outcome'], registers: [this.registry] });
  readonly publishRetries = new Counter({ name: 'baton_publish_retries_total', help: 'Outbound publishes retried after a failure', registers: [this.registry] });
  readonly storeAppendSeconds = new Summary({
    name: 'baton_store_append_duration_seconds',
    help: 'Latency of event-store appends of execution events',
    percentiles: [0.5, 0.9, 0.99],
    maxAgeSeconds: 600,
    ageBuckets: 5,
    registers: [this.registry],
  });
  readonly eventStoreAvailable = new Gauge({
    name: 'baton_event_store_available',
    help: '0 from a failure to reach the event store until it answers a ping again (task results are paused meanwhile), else 1',
    registers: [this.registry],
  });
  readonly tasksWaiting = new Gauge({
    name: 'baton_tasks_waiting_for_limit',
    help: 'Tasks held back on this replica by their type\'s rate or concurrency limit',
    labelNames: ['task_type'],
    registers: [this.registry],
  });
  readonly tasksThrottled = new Counter({
    name: 'baton_tasks_throttled_total',
    help: 'Task dispatches held back by a rate or concurrency limit, by task type and reason (CONCURRENCY_LIMIT, RATE_LIMIT)',
    labelNames: ['task_type', 'reason'],
    registers: [this.registry],
  });
  readonly limitSlotsReclaimed = new Counter({
    name: 'baton_limit_slots_reclaimed_total',
    help: 'Concurrency slots given back by reconciliation (held by tasks that had ended or did not exist)',
    labelNames: ['task_type'],
    registers: [this.registry],
  });
  readonly limitStoreErrors = new Counter({ name: 'baton_limit_store_errors_total', help: 'Failed rounds against the limits KV bucket (retried)', registers: [this.registry] });
  readonly timersInMemory = new Gauge({ name: 'baton_timers_in_memory', help: 'Timers held in the in-memory window', registers: [this.registry] });
  readonly eventHandlerEvents = new Counter({
    name: 'baton_event_handler_events_total',
    help: 'Events seen by event handlers, by handler and outcome (received, matched, unmatched, acted, failed: dead-lettered, retried, skipped: handler inactive or changed)',
    labelNames: ['handler', 'outcome'],
    registers: [this.registry],
  });
  readonly eventHandlerSubscribed = new Gauge({
    name: 'baton_event_handler_subscribed',
    help: '1 while an active event handler receives events on this replica, 0 while it waits for a stream that holds its jsm: subject',
    labelNames: ['handler', 'provider'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'baton_' });
  }
}
