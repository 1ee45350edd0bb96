import { runCli } from './cli';

// The `baton` command (bin/baton.js runs this file). Exits with the code of docs/cli.md once stdout is flushed.
void runCli(process.argv, { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.stdout.write('', () => process.exit(code));
});
