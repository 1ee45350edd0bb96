import { All, Controller, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { BatonError } from '@app/domain';
import { Roles } from '../auth/roles';

declare module '@app/domain' {
  interface BatonErrorCodes {
    /** A Conductor path Baton does not serve (404). */
    NOT_FOUND: true;
    /** An endpoint this build does not offer (404), e.g. POST /api/workflow/test without the flow-test engine. */
    NOT_SERVED: true;
  }
}

/**
 * Conductor paths Baton does not serve whose shape a served route would otherwise capture as an
 * id (`GET /api/workflow/search-v2` as execution "search-v2", `GET /api/tasks/queue/all` …).
 * The router prefers these static paths, so each answers 404 `NOT_FOUND` naming the path instead of
 * a misleading "no execution with id …". Unknown paths of any other shape already get that answer.
 */
@ApiExcludeController()
@Controller('api')
export class NotServedController {
  @Roles('reader')
  @All([
    'workflow/search-v2',
    'workflow/search-by-tasks',
    'workflow/search-by-tasks-v2',
    'workflow/externalstoragelocation',
    'workflow/external-storage-location',
    'workflow/correlated/batch',
    'workflow/bulk/remove',
    'workflow/bulk/terminate-remove',
    'workflow/bulk/search',
    'workflow/bulk/delete',
    'workflow/:id/terminate-remove',
    'workflow/:id/variables',
    'workflow/:id/tasks',
    'workflow/:id/upgrade',
    'workflow/:id/jump/:taskReferenceName',
    'workflow/start/:name/:version',
    'tasks/search-v2',
    'tasks/update-v2',
    'tasks/externalstoragelocation',
    'tasks/external-storage-location',
    'tasks/queue/size',
    'tasks/queue/all',
    'tasks/queue/all/verbose',
    'tasks/queue/polldata/all',
    'tasks/queue/requeue/:taskType',
    'event/handler/:name',
    'event/queue/config',
    'metadata/workflow/:name/tags',
    'metadata/taskdefs/:name/tags',
  ])
  notServed(@Req() request: FastifyRequest): never {
    throw new BatonError('NOT_FOUND', `Baton does not serve ${request.method} ${request.url.split('?')[0]} (docs/conductor-compatibility.md lists what it serves)`, {
      details: { method: request.method, path: request.url.split('?')[0] },
    });
  }
}
