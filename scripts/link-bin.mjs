#!/usr/bin/env node
// Runs on `npm install` (prepare): npm links the bins of dependencies into node_modules/.bin but
// not the bin of the project itself, so `npx adctl` in a fresh clone would look for a package
// named adctl on the registry. Link ours, so `npx adctl …` runs this checkout.
import { chmodSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'node_modules', '.bin');
const target = join(root, 'bin', 'adctl.js');
mkdirSync(binDir, { recursive: true });
const link = join(binDir, 'adctl');
rmSync(link, { force: true });
symlinkSync(relative(binDir, target), link);
chmodSync(target, 0o755);
