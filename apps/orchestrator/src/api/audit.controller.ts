import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { initialState, replay, toExecutionEvents } from '@app/domain';
import { verifyChain, type RecordedEvent } from '@app/event-store';
import { ExecutionService } from '../executions/execution.service';
import { RequestValidationError } from './api-exception.filter';
import { toConductorWorkflow } from './conductor.mapper';

/** Baton's audit endpoints: an execution's state at any point of its history, and proof its history was not altered. */
@ApiTags('audit')
@Controller('api/workflow')
export class AuditController {
  constructor(private readonly executions: ExecutionService) {}

  @Get(':id/state')
  @ApiOperation({ summary: 'Time travel: the Conductor-shaped state after revision atRevision, or as it was at time at (ISO-8601 or epoch ms)' })
  async stateAt(@Param('id') id: string, @Query('atRevision') atRevision?: string, @Query('at') at?: string): Promise<Record<string, unknown>> {
    const history = await this.executions.history(id);
    const upTo = cutOff(history, atRevision, at);
    const state = replay(toExecutionEvents(upTo), initialState(id));
    const last = upTo[upTo.length - 1];
    return {
      revision: last ? last.revision.toString() : null,
      recordedAt: last ? last.created.toISOString() : null,
      eventCount: upTo.length,
      totalEvents: history.length,
      workflow: toConductorWorkflow(state, true),
    };
  }

  @Get(':id/verify')
  @ApiOperation({ summary: "Recomputes the history's SHA-256 hash chain; valid=false names the first event that does not match" })
  async verify(@Param('id') id: string): Promise<Record<string, unknown>> {
    const history = await this.executions.history(id);
    const report = verifyChain(history);
    return {
      executionId: id,
      valid: report.valid,
      eventsChecked: report.checked,
      events: history.length,
      lastHash: report.lastHash,
      ...(report.firstInvalid ? { firstInvalid: { revision: report.firstInvalid.revision.toString(), reason: report.firstInvalid.reason } } : {}),
    };
  }
}

function cutOff(history: readonly RecordedEvent[], atRevision: string | undefined, at: string | undefined): readonly RecordedEvent[] {
  if (atRevision !== undefined && at !== undefined) throw new RequestValidationError([{ path: 'atRevision', message: 'give atRevision or at, not both' }]);
  if (atRevision !== undefined) {
    if (!/^\d+$/.test(atRevision)) throw new RequestValidationError([{ path: 'atRevision', message: 'atRevision must be a revision number (0 is the first event)' }]);
    const revision = BigInt(atRevision);
    return history.filter((event) => event.revision <= revision);
  }
  if (at !== undefined) {
    const time = /^\d+$/.test(at) ? Number(at) : Date.parse(at);
    if (Number.isNaN(time)) throw new RequestValidationError([{ path: 'at', message: 'at must be an ISO-8601 time or epoch milliseconds' }]);
    return history.filter((event) => event.created.getTime() <= time);
  }
  return history;
}
