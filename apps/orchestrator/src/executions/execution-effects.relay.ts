import { Injectable, Logger } from '@nestjs/common';
import type { ExecutionEvent, StartedExecution } from '@app/domain';
import type { Position } from '@app/event-store';
import type { ExecutionEffects } from './execution-effects.port';

/**
 * The command bus's {@link ExecutionEffects} in the app: forwards every append to the effects the
 * effects module attaches at start-up (`EffectsModule.onModuleInit`). The effects (task dispatch
 * through the limits) issue commands themselves, so the bus cannot be given them directly
 * without a dependency cycle; it knows only this port, and the effects plug into it. Commands
 * run only after start-up, once they are attached.
 */
@Injectable()
export class ExecutionEffectsRelay implements ExecutionEffects {
  private readonly logger = new Logger('ExecutionEffects');
  private target: ExecutionEffects | undefined;

  /** Plugs in the effects; once. */
  attach(effects: ExecutionEffects): void {
    if (this.target) throw new Error('execution effects are attached already');
    this.target = effects;
  }

  afterAppend(state: StartedExecution, events: readonly ExecutionEvent[], position: Position): void {
    // Only a wiring mistake gets here: the events are stored and recovery republishes their commands on the next start.
    if (!this.target) return this.logger.error(`no effects attached: ${events.length} event(s) of ${state.executionId} stored without their effects`);
    this.target.afterAppend(state, events, position);
  }
}
