import type { Provider } from '@nestjs/common';
import { EventHandlerProcessor } from './event-handler-processor.service';
import { EventHandlerRegistry } from './event-handler-registry.service';
import { EventHandlerRuntime } from './event-handler-runtime.service';

/** Event handlers: their registry, the processor that runs events through them, and the runtime that subscribes them. */
export const eventHandlerProviders: Provider[] = [EventHandlerRegistry, EventHandlerProcessor, EventHandlerRuntime];
