import type { MessagingLogger } from '../messaging-logger';

/** Keeps log lines in memory: tests stay quiet and can assert on what was logged. */
export class RecordingLogger implements MessagingLogger {
  readonly lines: Array<{ level: 'log' | 'warn' | 'error' | 'debug'; message: string }> = [];

  log(message: string): void {
    this.lines.push({ level: 'log', message });
  }

  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }

  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }

  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }

  messages(level?: 'log' | 'warn' | 'error' | 'debug'): string[] {
    return this.lines.filter((line) => !level || line.level === level).map((line) => line.message);
  }
}
