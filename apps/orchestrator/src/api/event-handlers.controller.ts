import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiEmptyResponse } from './openapi/api-responses.decorator';
import type { CauseMetadata } from '../executions/execution.repository';
import type { EventHandlerDef } from '../event-handlers/event-handler-def';
import { EventHandlerRegistry } from '../event-handlers/event-handler-registry.service';
import { EventHandlerDto } from './dto/event-handler.dto';
import { checkedEventHandler, checkedEventHandlers } from './event-handler-input';
import { booleanQuery } from './query-params';
import { RequestCause } from './request-cause.decorator';
import { Roles } from '../auth/roles';

/** Event handlers (Conductor's EventHandler), at Conductor's paths. */
@ApiTags('event')
@Controller('api/event')
export class EventHandlersController {
  constructor(private readonly registry: EventHandlerRegistry) {}

  @Roles('admin')
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Add an event handler, or a list of them as Conductor SDKs send (409 if one with the name exists: use PUT); a list is checked whole before any is added' })
  @ApiBody({ type: EventHandlerDto })
  @ApiEmptyResponse()
  async add(@Body() body: unknown, @RequestCause() cause: CauseMetadata): Promise<void> {
    for (const handler of checkedEventHandlers(body)) await this.registry.add(handler, cause);
  }

  @Roles('admin')
  @Put()
  @HttpCode(200)
  @ApiOperation({ summary: 'Update an existing event handler (404 if there is none)' })
  @ApiBody({ type: EventHandlerDto })
  @ApiEmptyResponse()
  async update(@Body() body: unknown, @RequestCause() cause: CauseMetadata): Promise<void> {
    await this.registry.update(checkedEventHandler(body), cause);
  }

  @Roles('reader')
  @Get()
  @ApiOperation({ summary: 'Every event handler, active or not, by name' })
  @ApiOkResponse({ type: EventHandlerDto, isArray: true })
  list(): EventHandlerDef[] {
    return this.registry.list();
  }

  @Roles('reader')
  @Get(':event')
  @ApiOperation({ summary: 'The handlers of one event, e.g. jsm:orders.ready (active ones only unless activeOnly=false)' })
  @ApiQuery({ name: 'activeOnly', required: false, type: Boolean, description: 'default true, as Conductor' })
  @ApiOkResponse({ type: EventHandlerDto, isArray: true })
  forEvent(@Param('event') event: string, @Query('activeOnly') activeOnly?: unknown): EventHandlerDef[] {
    return this.registry.forEvent(event, booleanQuery('activeOnly', activeOnly, true));
  }

  @Roles('admin')
  @Delete(':name')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove an event handler (stored as an EventHandlerRemoved event); its subscriptions stop' })
  @ApiEmptyResponse()
  async remove(@Param('name') name: string, @RequestCause() cause: CauseMetadata): Promise<void> {
    await this.registry.remove(name, cause);
  }
}
