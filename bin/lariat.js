#!/usr/bin/env node
// Entry point for `npx lariat`. The CLI is bundled by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/lariat.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('error: Lariat is not built yet.\nhint: run `npm run build` in the Lariat folder, then try again.\n');
  process.exit(1);
}
await import(entry.href);
