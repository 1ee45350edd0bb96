import { Body, Controller, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiJsonResponse } from './openapi/api-responses.decorator';
import { isBatonError } from '@app/domain';
import { ExecutionService } from '../executions/execution.service';
import type { CauseMetadata } from '../executions/execution.repository';
import { RequestValidationError } from './api-exception.filter';
import { booleanQuery } from './query-params';
import { RequestCause } from './request-cause.decorator';
import { Roles } from '../auth/roles';

/** Conductor's bulk limit. */
export const MAX_BULK_IDS = 1_000;

/** Conductor's BulkResponse: the ids that succeeded, and the message of each that did not. */
export interface BulkResponse {
  readonly bulkSuccessfulResults: string[];
  readonly bulkErrorResults: Record<string, string>;
}

const IDS_BODY = { schema: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: MAX_BULK_IDS } };

/**
 * Operator controls over many executions at once (Conductor's `/api/workflow/bulk/*`). Each id is
 * handled on its own, in order, as its single-execution control would be; the call never fails as
 * a whole: every refusal (unknown id, wrong state) is reported under its id.
 */
@ApiTags('workflow')
@Controller('api/workflow/bulk')
export class WorkflowBulkController {
  constructor(private readonly executions: ExecutionService) {}

  @Roles('operator')
  @Put('pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause each execution (an already paused one counts as a success, as Conductor)' })
  @ApiBody(IDS_BODY)
  @ApiJsonResponse('BulkResponse')
  pause(@Body() body: unknown, @RequestCause() cause: CauseMetadata): Promise<BulkResponse> {
    return this.each(body, async (id) => {
      const state = await this.executions.get(id);
      if (state.status !== 'PAUSED') await this.executions.commandOrThrow(id, { type: 'PauseExecution' }, cause);
    });
  }

  @Roles('operator')
  @Put('resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume each paused execution' })
  @ApiBody(IDS_BODY)
  @ApiJsonResponse('BulkResponse')
  resume(@Body() body: unknown, @RequestCause() cause: CauseMetadata): Promise<BulkResponse> {
    return this.each(body, (id) => this.executions.commandOrThrow(id, { type: 'ResumeExecution' }, cause));
  }

  @Roles('operator')
  @Post('terminate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Terminate each execution (no failure workflow, as Conductor)' })
  @ApiBody(IDS_BODY)
  @ApiJsonResponse('BulkResponse')
  terminate(@Body() body: unknown, @RequestCause() cause: CauseMetadata, @Query('reason') reason?: string): Promise<BulkResponse> {
    return this.each(body, (id) => this.executions.terminate(id, reason || 'terminated by operator (bulk)', cause));
  }

  @Roles('operator')
  @Post('restart')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restart each ended execution (on the latest definition with useLatestDefinitions=true)' })
  @ApiBody(IDS_BODY)
  @ApiJsonResponse('BulkResponse')
  restart(@Body() body: unknown, @RequestCause() cause: CauseMetadata, @Query('useLatestDefinitions') useLatestParam?: unknown): Promise<BulkResponse> {
    const useLatest = booleanQuery('useLatestDefinitions', useLatestParam, false);
    return this.each(body, (id) => this.executions.restart(id, useLatest, cause));
  }

  @Roles('operator')
  @Post('retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retry each FAILED, TIMED_OUT or TERMINATED execution from its failed tasks' })
  @ApiBody(IDS_BODY)
  @ApiJsonResponse('BulkResponse')
  retry(@Body() body: unknown, @RequestCause() cause: CauseMetadata): Promise<BulkResponse> {
    return this.each(body, (id) => this.executions.commandOrThrow(id, { type: 'RetryExecution' }, cause));
  }

  private async each(body: unknown, control: (id: string) => Promise<unknown>): Promise<BulkResponse> {
    const ids = bulkIds(body);
    const response: BulkResponse = { bulkSuccessfulResults: [], bulkErrorResults: {} };
    for (const id of ids) {
      try {
        await control(id);
        response.bulkSuccessfulResults.push(id);
      } catch (error) {
        // Only a client's refusal is reported per id; a fault (the store away) fails the call, so nothing is silently skipped.
        if (!isBatonError(error) || error.retryable) throw error;
        response.bulkErrorResults[id] = error.message;
      }
    }
    return response;
  }
}

function bulkIds(body: unknown): string[] {
  if (!Array.isArray(body) || body.length === 0 || body.length > MAX_BULK_IDS || body.some((id) => typeof id !== 'string' || id.length === 0 || id.length > 256)) {
    throw new RequestValidationError([{ path: '', message: `the body must be a JSON array of 1 to ${MAX_BULK_IDS} execution ids` }]);
  }
  return body as string[];
}
