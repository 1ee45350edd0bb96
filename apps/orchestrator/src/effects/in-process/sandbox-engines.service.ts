import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { JqEngine, ScriptEngine } from '@app/scripts';
import { BATON_CONFIG, type BatonConfig } from '../../config/baton-config';

const MIB = 1024 * 1024;

/**
 * The sandboxes of in-process tasks, configured from BatonConfig: the QuickJS engine (its
 * WebAssembly module loaded on first use) and the jq worker (started on first query).
 */
@Injectable()
export class SandboxEngines implements OnApplicationShutdown {
  readonly jq: JqEngine;
  private scriptEngine: Promise<ScriptEngine> | undefined;

  constructor(@Inject(BATON_CONFIG) private readonly config: BatonConfig) {
    this.jq = new JqEngine({ timeoutMs: config.jqTimeoutMs, memoryBytes: config.jqMemoryMb * MIB });
  }

  /** The script engine, loaded once. */
  scripts(): Promise<ScriptEngine> {
    this.scriptEngine ??= ScriptEngine.load({ timeoutMs: this.config.scriptTimeoutMs, memoryBytes: this.config.scriptMemoryMb * MIB, stackBytes: 512 * 1024 });
    return this.scriptEngine;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.jq.close();
  }
}
