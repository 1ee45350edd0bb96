import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiJsonResponse } from './openapi/api-responses.decorator';
import { ExecutionAuditService, type HistoryPoint } from '../executions/execution-audit.service';
import { RequestValidationError } from './api-exception.filter';
import { toConductorWorkflow } from './conductor.mapper';
import { Roles } from '../auth/roles';

/** Baton's audit endpoints: an execution's state at any point of its history, and proof its history was not altered. */
@ApiTags('audit')
@Controller('api/workflow')
export class AuditController {
  constructor(private readonly audit: ExecutionAuditService) {}

  @Roles('auditor')
  @Get(':id/state')
  @ApiOperation({ summary: 'Time travel: the Conductor-shaped state after revision atRevision, or as it was at time at (ISO-8601 or epoch ms)' })
  @ApiJsonResponse('StateAt')
  async stateAt(@Param('id') id: string, @Query('atRevision') atRevision?: string, @Query('at') at?: string): Promise<Record<string, unknown>> {
    const { state, last, eventCount, totalEvents } = await this.audit.stateAt(id, historyPoint(atRevision, at));
    return {
      revision: last ? last.revision.toString() : null,
      recordedAt: last ? last.created.toISOString() : null,
      eventCount,
      totalEvents,
      workflow: toConductorWorkflow(state, true),
    };
  }

  @Roles('auditor')
  @Get(':id/verify')
  @ApiOperation({ summary: "Recomputes the history's SHA-256 hash chain (valid=false names the first event that does not match) and checks its events are a sequence the decider can produce (consistent=false names the first that is not)" })
  @ApiJsonResponse('Verification')
  async verify(@Param('id') id: string): Promise<Record<string, unknown>> {
    const { verification: report, inconsistency, events } = await this.audit.verify(id);
    return {
      executionId: id,
      valid: report.valid,
      eventsChecked: report.checked,
      events,
      lastHash: report.lastHash,
      ...(report.firstInvalid ? { firstInvalid: { revision: report.firstInvalid.revision.toString(), reason: report.firstInvalid.reason } } : {}),
      consistent: inconsistency === undefined,
      ...(inconsistency ? { firstInconsistency: { revision: String(inconsistency.index), type: inconsistency.type, problem: inconsistency.problem } } : {}),
    };
  }
}

/** The point `atRevision` or `at` names, or none (the whole history). */
function historyPoint(atRevision: string | undefined, at: string | undefined): HistoryPoint | undefined {
  if (atRevision !== undefined && at !== undefined) throw new RequestValidationError([{ path: 'atRevision', message: 'give atRevision or at, not both' }]);
  if (atRevision !== undefined) {
    if (!/^\d+$/.test(atRevision)) throw new RequestValidationError([{ path: 'atRevision', message: 'atRevision must be a revision number (0 is the first event)' }]);
    return { revision: BigInt(atRevision) };
  }
  if (at !== undefined) {
    const time = /^\d+$/.test(at) ? Number(at) : Date.parse(at);
    if (Number.isNaN(time)) throw new RequestValidationError([{ path: 'at', message: 'at must be an ISO-8601 time or epoch milliseconds' }]);
    return { time };
  }
  return undefined;
}
