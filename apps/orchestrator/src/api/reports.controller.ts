import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiJsonResponse } from './openapi/api-responses.decorator';
import type { TaskStats } from '@app/projections';
import { ProjectedOperationalIndex } from '../read-model/projected-operational-index.service';
import { TaskReportQueryDto } from './dto/task-report-query.dto';
import { Roles } from '../auth/roles';

/**
 * Reports over the SQL read models. They follow the event log, so a result can lag the latest
 * transitions by the projection's batching delay.
 */
@ApiTags('reports')
@Controller('api/reports')
export class ReportsController {
  constructor(private readonly readModel: ProjectedOperationalIndex) {}

  @Roles('auditor')
  @Get('tasks')
  @ApiOperation({ summary: 'Per task definition: attempts by status, average and median duration, average queue wait' })
  @ApiJsonResponse('TaskStats', { isArray: true })
  async tasks(@Query() query: TaskReportQueryDto): Promise<TaskStats[]> {
    return this.readModel.taskReport.taskStats({
      ...(query.workflowName !== undefined ? { workflowName: query.workflowName } : {}),
      ...(query.taskDefName !== undefined ? { taskDefName: query.taskDefName } : {}),
      ...(query.since !== undefined ? { sinceMs: query.since } : {}),
    });
  }
}
