import type { Command } from 'commander';
import { API_ROLES, isApiRole, newApiToken, tokenHash } from '@app/common';
import type { CommandKit } from '../command-kit';
import { UsageError } from '../exit-codes';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** Offline helpers for the orchestrator's API tokens (docs/security.md). */
export function registerAuthCommands(program: Command, kit: CommandKit): void {
  const auth = program.command('auth').description("API tokens of the orchestrator's HTTP API");
  auth
    .command('token')
    .description('make a new random API token and the entry of the token file that grants it (only its SHA-256 is stored; the token is shown once)')
    .requiredOption('--name <name>', 'names the token; the history records its calls as token:<name>')
    .requiredOption('--roles <roles>', `comma-separated: ${API_ROLES.join(', ')}`)
    .option('--task-types <names>', 'comma-separated task names a worker token may poll and report (default: any)')
    .action(kit.action<{ name: string; roles: string; taskTypes?: string }>(async (context, _args, options) => {
      if (!NAME.test(options.name)) throw new UsageError(`--name must be 1–64 letters, digits, ".", "_", "@" or "-", got "${options.name}"`);
      const roles = listOf(options.roles);
      const unknown = roles.filter((role) => !isApiRole(role));
      if (roles.length === 0 || unknown.length > 0) throw new UsageError(`--roles must list ${API_ROLES.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`);
      const taskTypes = options.taskTypes === undefined ? undefined : listOf(options.taskTypes);
      if (taskTypes?.length === 0) throw new UsageError('--task-types must name at least one task');
      const token = newApiToken();
      const entry = { name: options.name, sha256: tokenHash(token), roles, ...(taskTypes ? { taskTypes } : {}) };
      context.output.result({ token, entry }, () => {
        context.output.line(`token (give it to the caller; it is not stored anywhere): ${token}`);
        context.output.line('entry for BATON_AUTH_TOKENS_FILE (YAML list item; the file may also be a JSON list):');
        context.output.line(`- ${JSON.stringify(entry)}`);
      });
    }));
}

function listOf(text: string): string[] {
  return text.split(',').map((item) => item.trim()).filter(Boolean);
}
