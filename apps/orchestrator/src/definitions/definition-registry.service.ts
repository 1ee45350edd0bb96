import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_SCHEMA_VERSION, type TaskDef, type WorkflowDef } from '@app/domain';
import { EVENT_STORE, StreamNotFoundError, appendChained, type EventStore, type RecordedEvent } from '@app/event-store';
import { CatalogFollower, type CatalogCause } from './catalog-follower';

/** Stream of a workflow definition's versions. */
export const definitionStream = (name: string): string => `definition-${name}`;
/** Stream of a task definition's revisions. */
export const taskDefStream = (name: string): string => `taskdef-${name}`;
/**
 * Every registration is announced here (kind and name), so replicas learn about new
 * definitions by reading one small stream instead of scanning `$all`.
 */
export const DEFINITION_CATALOG_STREAM = 'catalog-definitions';

export const WORKFLOW_DEFINITION_REGISTERED = 'WorkflowDefinitionRegistered';
export const TASK_DEFINITION_REGISTERED = 'TaskDefinitionRegistered';
export const DEFINITION_CATALOGUED = 'DefinitionCatalogued';
/** A workflow version was deleted (Conductor erases it; Baton keeps the stream for audit). */
export const WORKFLOW_DEFINITION_REMOVED = 'WorkflowDefinitionRemoved';
/** A task definition was deleted. */
export const TASK_DEFINITION_REMOVED = 'TaskDefinitionRemoved';

/** Who registered a definition (event metadata). */
export type RegistrationCause = CatalogCause;

type Kind = 'workflow' | 'taskdef';

/**
 * Workflow and task definitions, stored as events (`definition-<name>`, `taskdef-<name>`) and
 * held in memory. Registrations on this replica are visible at once; those of other replicas
 * within `pollMs` (the catalog stream is polled). Executions never read it after start: they
 * carry a snapshot of what they started with.
 */
@Injectable()
export class DefinitionRegistry implements OnApplicationShutdown {
  private readonly workflows = new Map<string, Map<number, WorkflowDef>>();
  private readonly taskDefs = new Map<string, TaskDef>();
  private readonly catalog: CatalogFollower;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    this.catalog = new CatalogFollower(store, DEFINITION_CATALOG_STREAM, 'definition catalog', (entries) => this.reloadAll(entries));
  }

  /** Loads every definition, then keeps following the catalog every `pollMs`. */
  start(pollMs = 1_000): Promise<void> {
    return this.catalog.start(pollMs);
  }

  private async reloadAll(entries: readonly RecordedEvent[]): Promise<void> {
    const changed = new Map<string, Kind>();
    for (const entry of entries) {
      const { kind, name } = entry.data as { kind: Kind; name: string };
      changed.set(`${kind}:${name}`, kind);
    }
    for (const [key, kind] of changed) await this.reload(kind, key.slice(kind.length + 1));
  }


  private async reload(kind: Kind, name: string): Promise<void> {
    try {
      const events = await this.store.readStream(kind === 'workflow' ? definitionStream(name) : taskDefStream(name));
      // The whole stream is folded again, so a removal made on another replica is seen too.
      if (kind === 'workflow') this.workflows.delete(name);
      else this.taskDefs.delete(name);
      for (const event of events) {
        if (event.type === WORKFLOW_DEFINITION_REGISTERED) this.put((event.data as { definition: WorkflowDef }).definition);
        else if (event.type === WORKFLOW_DEFINITION_REMOVED) this.drop(name, (event.data as { version: number }).version);
        else if (event.type === TASK_DEFINITION_REGISTERED) {
          const taskDef = (event.data as { taskDef: TaskDef }).taskDef;
          this.taskDefs.set(taskDef.name, taskDef);
        } else if (event.type === TASK_DEFINITION_REMOVED) this.taskDefs.delete(name);
      }
    } catch (error) {
      // Catalogued but not stored (the registration was interrupted): nothing to load.
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
  }

  private put(definition: WorkflowDef): void {
    let versions = this.workflows.get(definition.name);
    if (!versions) this.workflows.set(definition.name, (versions = new Map()));
    versions.set(definition.version ?? 1, definition);
  }

  private drop(name: string, version: number): void {
    const versions = this.workflows.get(name);
    versions?.delete(version);
    if (versions?.size === 0) this.workflows.delete(name);
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

  /** Stores a workflow definition version (already validated) and makes it visible here at once, on other replicas within a poll. */
  async registerWorkflow(definition: WorkflowDef, cause: RegistrationCause): Promise<void> {
    await appendChained(this.store, definitionStream(definition.name), [
      { id: randomUUID(), type: WORKFLOW_DEFINITION_REGISTERED, data: { definition }, metadata: { ...cause, correlationId: definition.name, schemaVersion: EVENT_SCHEMA_VERSION } },
    ]);
    await this.catalogue('workflow', definition.name, cause);
    this.put(definition);
  }

  /** Stores a task definition (already validated) and makes it visible at once. */
  async registerTaskDef(taskDef: TaskDef, cause: RegistrationCause): Promise<void> {
    await appendChained(this.store, taskDefStream(taskDef.name), [
      { id: randomUUID(), type: TASK_DEFINITION_REGISTERED, data: { taskDef }, metadata: { ...cause, correlationId: taskDef.name, schemaVersion: EVENT_SCHEMA_VERSION } },
    ]);
    await this.catalogue('taskdef', taskDef.name, cause);
    this.taskDefs.set(taskDef.name, taskDef);
  }

  /** Deletes a workflow version (running executions keep their snapshot); false when there is no such version. */
  async removeWorkflow(name: string, version: number, cause: RegistrationCause): Promise<boolean> {
    if (!this.getWorkflow(name, version)) return false;
    await appendChained(this.store, definitionStream(name), [
      { id: randomUUID(), type: WORKFLOW_DEFINITION_REMOVED, data: { name, version }, metadata: { ...cause, correlationId: name } },
    ]);
    await this.catalogue('workflow', name, cause);
    this.drop(name, version);
    return true;
  }

  /** Deletes a task definition (workflows using it are not checked, as in Conductor); false when there is none. */
  async removeTaskDef(name: string, cause: RegistrationCause): Promise<boolean> {
    if (!this.taskDefs.has(name)) return false;
    await appendChained(this.store, taskDefStream(name), [
      { id: randomUUID(), type: TASK_DEFINITION_REMOVED, data: { name }, metadata: { ...cause, correlationId: name } },
    ]);
    await this.catalogue('taskdef', name, cause);
    this.taskDefs.delete(name);
    return true;
  }

  private catalogue(kind: Kind, name: string, cause: RegistrationCause): Promise<void> {
    return this.catalog.announce(DEFINITION_CATALOGUED, { kind, name }, { ...cause, correlationId: name });
  }

  onApplicationShutdown(): void {
    this.catalog.stop();
  }
}
