#!/usr/bin/env node
// Entry point for `npx lariat`. The CLI is bundled by `npm run build`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/lariat.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('error: Lariat is not built yet.\nhint: run `npm run build` in the Lariat folder, then try again.\n');
  process.exit(1);
}

/**
 * Commands that import logs run with a bounded JavaScript heap. Left alone, V8 lets the main thread's
 * heap grow to about four times what it keeps alive while a big import streams through it (200 MB for
 * 50 MB live at a million records), which alone takes the import past its memory goal (512 MB for the
 * whole process). The cap is a start-up flag, so these commands start once more with it (~70 ms).
 * LARIAT_IMPORT_HEAP_MB changes it (0: no cap).
 */
const BOUNDED = new Set(['import', 'acquire']);
const heapMb = Number(process.env.LARIAT_IMPORT_HEAP_MB || 192);
// A budget that is no number was ignored (no cap at all): refused by name instead.
if (BOUNDED.has(process.argv[2] ?? '') && !(Number.isFinite(heapMb) && heapMb >= 0)) {
  process.stderr.write(
    `error: LARIAT_IMPORT_HEAP_MB=${String(process.env.LARIAT_IMPORT_HEAP_MB).slice(0, 40)} is not a memory budget in MB.\n` +
      'hint: set it to a number of MB (192 by default, 1024 for a bigger budget, 0 for no limit), or unset it.\n',
  );
  process.exit(2);
}
const capped =
  process.execArgv.some((a) => a.startsWith('--max-old-space-size')) || /--max-old-space-size/.test(process.env.NODE_OPTIONS ?? '');
if (BOUNDED.has(process.argv[2] ?? '') && Number.isFinite(heapMb) && heapMb > 0 && !capped) {
  const args = [
    ...process.execArgv,
    `--max-old-space-size=${Math.round(heapMb)}`,
    fileURLToPath(import.meta.url),
    ...process.argv.slice(2),
  ];
  const child = spawn(process.execPath, args, { stdio: 'inherit' });
  // A signal sent to this process alone (a timeout, a service manager) reaches the command too.
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => child.kill(s));
  child.on('exit', (code, signal) => {
    if (signal === 'SIGABRT' || code === 134) {
      process.stderr.write(
        `error: Lariat ran out of its ${Math.round(heapMb)} MB memory budget for this command; the evidence copied so far stays in the vault, and the unfinished import's events are rolled back the next time Lariat opens this data folder.\n` +
          'hint: run the command again with LARIAT_IMPORT_HEAP_MB=1024 (or 0 for no limit) in the environment.\n',
      );
    }
    process.exitCode = code ?? 1;
    if (signal && signal !== 'SIGABRT') {
      // Ended by a signal: end the same way, so a shell or a script sees what happened.
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
  });
} else await import(entry.href);
