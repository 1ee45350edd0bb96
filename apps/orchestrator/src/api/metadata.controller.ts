import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiEmptyResponse, ApiJsonResponse } from './openapi/api-responses.decorator';
import { canonicalJson } from '@app/event-store';
import type { TaskDef, WorkflowDef } from '@app/domain';
import { DefinitionRegistry } from '../definitions/definition-registry.service';
import type { CauseMetadata } from '../executions/execution.repository';
import { DefinitionExistsError, TaskDefinitionNotFoundError, WorkflowDefinitionNotFoundError } from '../executions/orchestrator.errors';
import { TaskDefDto } from './dto/task-def.dto';
import { WorkflowDefDto } from './dto/workflow-def.dto';
import { booleanQuery } from './query-params';
import { RequestCause } from './request-cause.decorator';
import { checkedTaskDef, checkedWorkflow } from './definition-input';
import { RequestValidationError } from './api-exception.filter';
import { Roles } from '../auth/roles';

/** Workflow and task definitions, at Conductor's paths. */
@ApiTags('metadata')
@Controller('api/metadata')
export class MetadataController {
  constructor(private readonly registry: DefinitionRegistry) {}

  @Roles('admin')
  @Post('workflow')
  @HttpCode(200)
  @ApiOperation({ summary: 'Register a workflow definition version; an existing name and version → 409, unless overwrite=true replaces it (as Conductor)' })
  @ApiBody({ type: WorkflowDefDto })
  @ApiQuery({ name: 'overwrite', required: false, type: Boolean })
  @ApiEmptyResponse()
  async create(@Body() body: unknown, @RequestCause() cause: CauseMetadata, @Query('overwrite') overwriteParam?: unknown): Promise<void> {
    const overwrite = booleanQuery('overwrite', overwriteParam, false);
    // Conductor answers 409 before validating: an existing name+version is a conflict whatever the body.
    const key = definitionKey(body);
    if (key && !overwrite && this.registry.getWorkflow(key.name, key.version)) throw new DefinitionExistsError(key.name, key.version);
    const definition = checkedWorkflow(body);
    const existing = this.registry.getWorkflow(definition.name, definition.version);
    if (existing && canonicalJson(existing) === canonicalJson(definition)) return;
    await this.registry.registerWorkflow(definition, cause);
  }

  @Roles('admin')
  @Put('workflow')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create or update workflow definitions (a JSON array, as Conductor)' })
  @ApiBody({ type: [WorkflowDefDto] })
  @ApiEmptyResponse()
  async update(@Body() body: unknown, @RequestCause() cause: CauseMetadata): Promise<void> {
    const list = Array.isArray(body) ? body : [body];
    const definitions = list.map((item, i) => checkedWorkflow(item, Array.isArray(body) ? `[${i}].` : ''));
    for (const definition of definitions) await this.registry.registerWorkflow(definition, cause);
  }

  @Roles('reader')
  @Post('workflow/validate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Validate a workflow definition without registering it' })
  @ApiBody({ type: WorkflowDefDto })
  @ApiJsonResponse('Valid')
  validate(@Body() body: unknown): { valid: true } {
    checkedWorkflow(body);
    return { valid: true };
  }

  @Roles('reader')
  @Get('workflow')
  @ApiOperation({ summary: 'All workflow definitions (every version)' })
  @ApiOkResponse({ type: WorkflowDefDto, isArray: true })
  listWorkflows(): WorkflowDef[] {
    return this.registry.listWorkflows();
  }

  @Roles('reader')
  @Get('workflow/:name')
  @ApiOperation({ summary: 'A workflow definition: the latest version, or ?version=' })
  @ApiOkResponse({ type: WorkflowDefDto })
  getWorkflow(@Param('name') name: string, @Query('version') version?: string): WorkflowDef {
    const parsed = version === undefined || version === '' ? undefined : Number(version);
    if (parsed !== undefined && (!Number.isInteger(parsed) || parsed < 1)) throw new RequestValidationError([{ path: 'version', message: 'version must be an integer ≥ 1' }]);
    const definition = this.registry.getWorkflow(name, parsed);
    if (!definition) throw new WorkflowDefinitionNotFoundError(name, parsed);
    return definition;
  }

  @Roles('admin')
  @Delete('workflow/:name/:version')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a workflow definition version (recorded as an event; running executions keep their snapshot)' })
  @ApiEmptyResponse()
  async removeWorkflow(@Param('name') name: string, @Param('version') versionParam: string, @RequestCause() cause: CauseMetadata): Promise<void> {
    const version = Number(versionParam);
    if (!Number.isInteger(version) || version < 1) throw new RequestValidationError([{ path: 'version', message: 'version must be an integer ≥ 1' }]);
    if (!(await this.registry.removeWorkflow(name, version, cause))) throw new WorkflowDefinitionNotFoundError(name, version);
  }

  @Roles('admin')
  @Post('taskdefs')
  @HttpCode(200)
  @ApiOperation({ summary: 'Register task definitions (a JSON array, as Conductor)' })
  @ApiBody({ type: [TaskDefDto] })
  @ApiEmptyResponse()
  async createTaskDefs(@Body() body: unknown, @RequestCause() cause: CauseMetadata): Promise<void> {
    if (!Array.isArray(body) || body.length === 0) throw new RequestValidationError([{ path: '', message: 'the body must be a non-empty JSON array of task definitions' }]);
    const taskDefs = body.map((item, i) => checkedTaskDef(item, `[${i}].`));
    for (const taskDef of taskDefs) await this.registry.registerTaskDef(taskDef, cause);
  }

  @Roles('admin')
  @Put('taskdefs')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create or update one task definition' })
  @ApiBody({ type: TaskDefDto })
  @ApiEmptyResponse()
  async updateTaskDef(@Body() body: unknown, @RequestCause() cause: CauseMetadata): Promise<void> {
    await this.registry.registerTaskDef(checkedTaskDef(body, ''), cause);
  }

  @Roles('reader')
  @Get('taskdefs')
  @ApiOperation({ summary: 'All task definitions' })
  @ApiOkResponse({ type: TaskDefDto, isArray: true })
  listTaskDefs(): TaskDef[] {
    return this.registry.listTaskDefs();
  }

  @Roles('reader')
  @Get('taskdefs/:name')
  @ApiOperation({ summary: 'One task definition' })
  @ApiOkResponse({ type: TaskDefDto })
  getTaskDef(@Param('name') name: string): TaskDef {
    const taskDef = this.registry.getTaskDef(name);
    if (!taskDef) throw new TaskDefinitionNotFoundError(name);
    return taskDef;
  }

  @Roles('admin')
  @Delete('taskdefs/:name')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a task definition (recorded as an event; workflows using it are not checked, as in Conductor)' })
  @ApiEmptyResponse()
  async removeTaskDef(@Param('name') name: string, @RequestCause() cause: CauseMetadata): Promise<void> {
    if (!(await this.registry.removeTaskDef(name, cause))) throw new TaskDefinitionNotFoundError(name);
  }
}

/** Name and version of a posted definition, when it has a usable name (version defaults to 1, as in Conductor). */
function definitionKey(body: unknown): { name: string; version: number } | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { name, version } = body as { name?: unknown; version?: unknown };
  if (typeof name !== 'string' || name.trim() === '') return undefined;
  if (version === undefined || version === null) return { name, version: 1 };
  return Number.isInteger(version) ? { name, version: version as number } : undefined;
}
