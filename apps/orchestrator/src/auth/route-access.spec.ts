import { Controller, Get, Post } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/baton-config';
import { controllersOf, routesWithoutAccess } from './route-access';
import { Public, Roles } from './roles';

describe('route access declarations', () => {
  it('every HTTP route of the orchestrator declares its roles or is public', () => {
    const controllers = controllersOf(AppModule.forRoot(loadConfig({})));
    // The walk reaches the modules the app imports (a sanity check that it found them at all).
    expect(controllers.map((controller) => controller.name)).toEqual(expect.arrayContaining(['WorkflowController', 'HealthController', 'LiveFeedController', 'OperationsController', 'TaskPollController']));
    expect(routesWithoutAccess(controllers)).toEqual([]);
  });

  it('reports a route without a declaration, and only HTTP routes', () => {
    @Controller('x')
    class Mixed {
      @Roles('reader')
      @Get()
      declared() {}

      @Public()
      @Get('open')
      open() {}

      @Post()
      forgotten() {}

      @EventPattern('baton.result.x')
      message() {}

      helper() {}
    }
    expect(routesWithoutAccess([Mixed])).toEqual(['Mixed.forgotten']);
  });
});
