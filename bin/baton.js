#!/usr/bin/env node
// The `baton` CLI (package.json "bin"): runs the compiled CLI from dist/.
const { existsSync } = require('node:fs');
const path = require('node:path');

const entry = path.join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('baton: the CLI is not built yet; run `npm run build` first\n');
  process.exit(3);
}
require(entry);
