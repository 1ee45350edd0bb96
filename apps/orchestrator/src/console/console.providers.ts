import type { Provider, Type } from '@nestjs/common';
import { ExecutionsController } from '../api/executions.controller';
import { LiveFeedController } from '../api/live-feed.controller';
import { OperationsController } from '../api/operations.controller';
import { LiveFeed } from '../live/live-feed';
import { JetStreamInspector } from '../operations/jetstream-inspector';

/** The API the web console needs beyond Conductor's: search with counts, links, live feed, operations. */
export const consoleControllers: Type[] = [ExecutionsController, LiveFeedController, OperationsController];

export const consoleProviders: Provider[] = [LiveFeed, JetStreamInspector];
