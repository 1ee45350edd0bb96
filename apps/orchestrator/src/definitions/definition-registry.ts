import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { TaskDef, WorkflowDef } from '@app/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent, type Subscription } from '@app/event-store';

/** Stream of a workflow definition's versions. */
export const definitionStream = (name: string): string => `definition-${name}`;
/** Stream of a task definition's revisions. */
export const taskDefStream = (name: string): string => `taskdef-${name}`;

export const WORKFLOW_DEFINITION_REGISTERED = 'WorkflowDefinitionRegistered';
export const TASK_DEFINITION_REGISTERED = 'TaskDefinitionRegistered';

/** Who registered a definition (event metadata). */
export interface RegistrationCause {
  readonly actor: string;
  readonly causationId: string;
}

/**
 * Workflow and task definitions, stored as events (`definition-<name>`, `taskdef-<name>`) and
 * held in memory by a catch-up subscription, so every replica sees every registration.
 * Executions never read it after start: they carry a snapshot of what they started with.
 */
@Injectable()
export class DefinitionRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger(DefinitionRegistry.name);
  private readonly workflows = new Map<string, Map<number, WorkflowDef>>();
  private readonly taskDefs = new Map<string, TaskDef>();
  private subscription?: Subscription;
  private stopped = false;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Loads every definition and keeps following new ones; resolves once caught up. */
  async start(): Promise<void> {
    this.stopped = false;
    let caughtUp!: () => void;
    const ready = new Promise<void>((resolve) => (caughtUp = resolve));
    void this.follow(caughtUp);
    await ready;
  }

  private async follow(caughtUp: () => void): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt += 1) {
      try {
        this.subscription = this.store.subscribeToAll({ fromPosition: 'start', filter: { streamNamePrefixes: ['definition-', 'taskdef-'] } });
        for await (const message of this.subscription) {
          attempt = 0;
          if (message.kind === 'event') this.apply(message.event);
          else if (message.kind === 'caught-up') caughtUp();
        }
        return;
      } catch (error) {
        if (this.stopped) return;
        this.logger.warn(`definition subscription failed, resubscribing: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** attempt)));
      }
    }
  }

  private apply(event: RecordedEvent): void {
    if (event.type === WORKFLOW_DEFINITION_REGISTERED) this.put((event.data as { definition: WorkflowDef }).definition);
    else if (event.type === TASK_DEFINITION_REGISTERED) {
      const taskDef = (event.data as { taskDef: TaskDef }).taskDef;
      this.taskDefs.set(taskDef.name, taskDef);
    }
  }

  private put(definition: WorkflowDef): void {
    let versions = this.workflows.get(definition.name);
    if (!versions) this.workflows.set(definition.name, (versions = new Map()));
    versions.set(definition.version ?? 1, definition);
  }

  /** A version of a workflow, or its latest when `version` is omitted. */
  getWorkflow(name: string, version?: number): WorkflowDef | undefined {
    const versions = this.workflows.get(name);
    if (!versions) return undefined;
    if (version !== undefined) return versions.get(version);
    return versions.get(Math.max(...versions.keys()));
  }

  /** Every version of every workflow, by name then version. */
  listWorkflows(): WorkflowDef[] {
    return [...this.workflows.keys()].sort().flatMap((name) => [...this.workflows.get(name)!.entries()].sort(([a], [b]) => a - b).map(([, def]) => def));
  }

  getTaskDef(name: string): TaskDef | undefined {
    return this.taskDefs.get(name);
  }

  listTaskDefs(): TaskDef[] {
    return [...this.taskDefs.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Task definitions by name, for an execution's snapshot. */
  taskDefsByName(): Readonly<Record<string, TaskDef>> {
    return Object.fromEntries(this.taskDefs);
  }

  /** Stores a workflow definition version (already validated) and makes it visible at once. */
  async registerWorkflow(definition: WorkflowDef, cause: RegistrationCause): Promise<void> {
    await this.store.appendToStream(definitionStream(definition.name), [
      { id: randomUUID(), type: WORKFLOW_DEFINITION_REGISTERED, data: { definition }, metadata: { ...cause, correlationId: definition.name } },
    ]);
    this.put(definition);
  }

  /** Stores a task definition (already validated) and makes it visible at once. */
  async registerTaskDef(taskDef: TaskDef, cause: RegistrationCause): Promise<void> {
    await this.store.appendToStream(taskDefStream(taskDef.name), [
      { id: randomUUID(), type: TASK_DEFINITION_REGISTERED, data: { taskDef }, metadata: { ...cause, correlationId: taskDef.name } },
    ]);
    this.taskDefs.set(taskDef.name, taskDef);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.subscription?.unsubscribe();
  }
}
