import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { redactValue } from '@app/common';
import { ApiModule } from './api/api.module';
import { AuthModule } from './auth/auth.module';
import { LOG_REDACTION } from './auth/log-redaction';
import { ConsoleModule } from './console/console.module';
import { type BatonConfig } from './config/baton-config';
import { ConfigModule } from './config/config.module';
import { DefinitionsModule } from './definitions/definitions.module';
import { EffectsModule } from './effects/effects.module';
import { EventHandlersModule } from './event-handlers/event-handlers.module';
import { ExecutionsModule } from './executions/executions.module';
import { HealthModule } from './health/health.module';
import { InboundModule } from './inbound/inbound.module';
import { OrchestratorLifecycle } from './orchestrator.lifecycle';
import { TimersModule } from './timers/timers.module';

/**
 * The orchestrator: the feature modules (docs/architecture.md §2), and the start-up order that
 * runs once they are all initialised (`OrchestratorLifecycle`).
 */
@Module({})
export class AppModule {
  static forRoot(config: BatonConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          // No per-request logging middleware: its AsyncLocalStorage would put promise hooks on
          // every promise in the process (≈ 3 % CPU under load) for request logs we don't write.
          forRoutes: [],
          pinoHttp: {
            level: config.logLevel,
            autoLogging: false,
            redact: { paths: [...LOG_REDACTION.paths], censor: LOG_REDACTION.censor },
            base: { service: 'baton-orchestrator', instance: config.instanceId },
            // Connection strings and credentials never reach the log, whoever logs them: an error of
            // the store client may quote its connection string, a config dump its password.
            hooks: {
              logMethod(args, method) {
                method.apply(this, args.map((arg) => redactValue(arg)) as Parameters<typeof method>);
              },
            },
            // Pretty logs are for a developer's terminal: colours only there, never in a file or pipe.
            ...(config.logFormat === 'pretty'
              ? { transport: { target: 'pino-pretty', options: { colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', messageFormat: '[{context}] {msg}', ignore: 'pid,hostname,service,instance,context' } } }
              : {}),
          },
        }),
        AuthModule,
        HealthModule,
        ApiModule,
        ConsoleModule,
        InboundModule,
        DefinitionsModule,
        ExecutionsModule,
        EffectsModule,
        TimersModule,
        EventHandlersModule,
      ],
      providers: [OrchestratorLifecycle],
    };
  }
}
