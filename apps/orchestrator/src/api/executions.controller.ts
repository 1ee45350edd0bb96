import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiJsonResponse } from './openapi/api-responses.decorator';
import type { ExecutionSearch, ExecutionSummary, IndexedExecutionStatus, StatusCounts } from '@app/projections';
import { ProjectedOperationalIndex } from '../read-model/projected-operational-index.service';
import { RequestValidationError } from './api-exception.filter';
import { ExecutionSearchQueryDto } from './dto/execution-search-query.dto';
import { Roles } from '../auth/roles';

/** An execution in a list: the index's summary without its input and output (a page stays small). */
export type ExecutionListItem = Omit<ExecutionSummary, 'input' | 'output'>;

export interface ExecutionSearchPage {
  readonly totalHits: number;
  /** Matches per status with every filter but `status` (the counts a status filter would give). */
  readonly statusCounts: StatusCounts;
  readonly results: readonly ExecutionListItem[];
}

export interface ExecutionLinks {
  readonly parent?: ExecutionListItem;
  readonly children: readonly ExecutionListItem[];
  /** Failure workflows started because this execution failed or timed out. */
  readonly failureWorkflows: readonly ExecutionListItem[];
  /** When this execution is a failure workflow: the execution it was started for. */
  readonly compensates?: ExecutionListItem;
}

const FAILURE_KEY = /^failure:(.+):\d+$/;

function listItem(summary: ExecutionSummary): ExecutionListItem {
  const { input: _input, output: _output, ...item } = summary;
  return item;
}

/**
 * **Baton** execution search for the console (status counts, version, time window) and the links
 * between executions. Read from the read model: a few tens of milliseconds behind the store.
 */
@ApiTags('console')
@Controller('api/executions')
export class ExecutionsController {
  constructor(private readonly readModel: ProjectedOperationalIndex) {}

  @Roles('reader')
  @Get()
  @ApiOperation({ summary: 'Search executions with counts per status: workflowName, workflowVersion, status (comma-separated), correlationId, from/to (start time window), freeText, sort, start, size' })
  @ApiJsonResponse('ExecutionSearchPage')
  async search(@Query() query: ExecutionSearchQueryDto): Promise<ExecutionSearchPage> {
    if (query.from !== undefined && query.to !== undefined && query.from >= query.to) {
      throw new RequestValidationError([{ path: 'to', message: 'to must be after from' }]);
    }
    const search: ExecutionSearch = {
      ...(query.workflowName ? { workflowName: query.workflowName } : {}),
      ...(query.workflowVersion !== undefined ? { workflowVersion: query.workflowVersion } : {}),
      ...(query.status ? { status: query.status.split(',') as IndexedExecutionStatus[] } : {}),
      ...(query.correlationId ? { correlationId: query.correlationId } : {}),
      ...(query.from !== undefined ? { createdFrom: query.from } : {}),
      ...(query.to !== undefined ? { createdTo: query.to } : {}),
      ...(query.freeText ? { freeText: query.freeText } : {}),
      ...(query.sort ? { sort: query.sort } : {}),
      start: query.start ?? 0,
      size: query.size ?? 25,
    };
    const page = await this.readModel.index.searchWithCounts(search);
    return { totalHits: page.totalHits, statusCounts: page.statusCounts, results: page.results.map(listItem) };
  }

  @Roles('reader')
  @Get(':id/links')
  @ApiOperation({ summary: 'Parent, children (SUB_WORKFLOW), failure workflows started for it, and the execution a failure workflow compensates' })
  @ApiJsonResponse('ExecutionLinks')
  async links(@Param('id') id: string): Promise<ExecutionLinks> {
    const index = this.readModel.index;
    const self = await index.findExecution(id);
    const [parent, children, failureWorkflows, compensates] = await Promise.all([
      self?.parentExecutionId ? index.findExecution(self.parentExecutionId) : undefined,
      index.childrenOf(id),
      index.withIdempotencyKeyPrefix(`failure:${id}:`),
      compensatedBy(self, (failedId) => index.findExecution(failedId)),
    ]);
    return {
      ...(parent ? { parent: listItem(parent) } : {}),
      children: children.map(listItem),
      failureWorkflows: failureWorkflows.map(listItem),
      ...(compensates ? { compensates: listItem(compensates) } : {}),
    };
  }
}

/** A failure workflow is started with the idempotency key `failure:<failed execution>:<revision>`. */
async function compensatedBy(self: ExecutionSummary | undefined, find: (id: string) => Promise<ExecutionSummary | undefined>): Promise<ExecutionSummary | undefined> {
  const failedId = self?.idempotencyKey ? FAILURE_KEY.exec(self.idempotencyKey)?.[1] : undefined;
  return failedId ? find(failedId) : undefined;
}
