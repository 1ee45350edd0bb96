import Table from 'cli-table3';
import pc from 'picocolors';

/** Where a command's output goes: plain text for people, or one JSON document (`--json`) for scripts. */
export interface CliStreams {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Writes a command's result: JSON with `--json`, else text, tables and colours (colours only on a terminal). */
export class CliOutput {
  readonly colors: ReturnType<typeof pc.createColors>;

  constructor(readonly streams: CliStreams, readonly json: boolean) {
    this.colors = pc.createColors(!json && streams.stdout.isTTY === true && !process.env.NO_COLOR);
  }

  /** The command's result: `value` as JSON with `--json`, else what `human` prints. */
  result(value: unknown, human: () => void): void {
    if (this.json) this.streams.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
    else human();
  }

  line(text = ''): void {
    this.streams.stdout.write(`${text}\n`);
  }

  /** A readable table (headers, then rows). */
  table(head: readonly string[], rows: readonly (readonly unknown[])[]): void {
    const table = new Table({ head: head.map((title) => this.colors.bold(title)), style: { head: [], border: [] } });
    for (const row of rows) table.push(row.map((cell) => (cell === undefined || cell === null ? '' : String(cell))));
    this.line(table.toString());
  }

  /** An error: JSON (`{ error: {…} }`) with `--json`, else one or more lines, on stderr. */
  error(message: string, details: Record<string, unknown> = {}): void {
    if (this.json) this.streams.stderr.write(`${JSON.stringify({ error: { message, ...details } }, jsonReplacer)}\n`);
    else this.streams.stderr.write(`${pc.createColors(this.streams.stderr.isTTY === true).red('error:')} ${message}\n`);
  }

  /** A note for people, on stderr (never in JSON output). */
  note(text: string): void {
    if (!this.json) this.streams.stderr.write(`${text}\n`);
  }
}

/** Bigints (revisions, positions) as decimal strings. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
