#!/usr/bin/env node
// Builds a publishable package of the monorepo (libs/worker-sdk, libs/client): tsc compiles the
// package's entry point and the monorepo libraries it reaches (`@app/<lib>`) into the package's
// dist/, JavaScript and .d.ts, one file per source file; then every `@app/<lib>` specifier in the
// output becomes a relative path, so the tarball needs nothing but its declared dependencies.
// It fails when the output still names an `@app/` library or a package its package.json does not list.
//
// Usage: node scripts/build-package.mjs libs/worker-sdk [libs/client …]
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
// require("@app/x"), require("@app/x/y"), from "@app/x", import("@app/x"), declare module "@app/x" (augmentations) — in .js and .d.ts alike.
const aliasPattern = /(require\(|from |import\(|declare module )(["'])@app\/([a-z-]+)(\/[^"']*)?\2/g;
const specifierPattern = /(?:require\(|from |import\()(["'])([^"'.][^"']*)\1/g;

for (const dir of process.argv.slice(2)) buildPackage(path.resolve(repo, dir));

function buildPackage(packageDir) {
  const manifest = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const dist = path.join(packageDir, 'dist');
  rmSync(dist, { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, '-p', path.join(packageDir, 'tsconfig.build.json')], { stdio: 'inherit' });

  const allowed = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
  const problems = [];
  for (const file of filesUnder(dist)) {
    if (!file.endsWith('.js') && !file.endsWith('.d.ts')) continue;
    const source = readFileSync(file, 'utf8');
    const rewritten = source.replace(aliasPattern, (_match, opener, quote, lib, rest = '') => {
      let target = path.relative(path.dirname(file), path.join(dist, lib, 'src', rest));
      if (!target.startsWith('.')) target = `./${target}`;
      return `${opener}${quote}${target}${quote}`;
    });
    if (rewritten !== source) writeFileSync(file, rewritten);
    for (const [, , specifier] of rewritten.matchAll(specifierPattern)) {
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
      if (name.startsWith('node:') || builtinModules.includes(name)) continue;
      if (!allowed.has(name)) problems.push(`${path.relative(repo, file)} imports ${specifier}, which ${manifest.name}'s package.json does not list`);
    }
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log(`${manifest.name}@${manifest.version} built in ${path.relative(repo, dist)}`);
}

function* filesUnder(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else yield full;
  }
}
