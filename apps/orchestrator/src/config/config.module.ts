import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CLOCK, systemClock } from '../executions/clock';
import { BATON_CONFIG, type BatonConfig } from './baton-config';

/** The configuration (`BATON_CONFIG`) and the clock (`CLOCK`), available to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: BatonConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: BATON_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
      ],
      exports: [BATON_CONFIG, CLOCK],
    };
  }
}
