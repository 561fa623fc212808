// Electronegativity (Doyensec's Electron security scanner) over Lariat's Electron-facing code, as a
// check of `npm test`: the main process's Electron layer (main/electron), the preload, the renderer's
// sources and its HTML page, and package.json (Electron version). Runs offline (its release and
// translation look-ups fail quietly). Fails on any finding, and on any file it could not parse
// (an unread file is not a clean result).
//
// Findings that are safe are suppressed IN THE CODE, on the line they point at, with
// `// eng-disable CHECK_ID` and a comment above saying why. A global check has no line to carry such
// a comment; the ones excluded here, each with its reason:
//   CSP_GLOBAL_CHECK  the tool looks for a CSP in <meta> tags or onHeadersReceived; Lariat sends its
//                     CSP as a header on every app:// response (main/electron/protocol.ts, the policy
//                     in common/csp.ts: default-src 'none', no inline or eval), unit-tested in
//                     test/unit/foundation/shell-security.test.ts and enforced in the e2e tier.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Electronegativity names its checks by class for -x: CSPGlobalCheck is CSP_GLOBAL_CHECK. */
const EXCLUDED = ['CSPGlobalCheck'];
const tool = path.resolve('scripts/electronegativity-shim.mjs');
if (!existsSync('node_modules/@doyensec/electronegativity/dist/index.js')) {
  console.error('electronegativity: @doyensec/electronegativity is not installed (npm ci installs it).');
  process.exit(1);
}
const electron = JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')).version;

const input = mkdtempSync(path.join(os.tmpdir(), 'lariat-eng-'));
const out = path.join(os.tmpdir(), `lariat-eng-${process.pid}.sarif`);
try {
  for (const dir of ['main/electron', 'preload', 'renderer']) cpSync(dir, path.join(input, dir), { recursive: true });
  cpSync('package.json', path.join(input, 'package.json'));
  // A canary with a known finding: if the scanner reports it, it really read the files.
  writeFileSync(path.join(input, 'canary.js'), 'new BrowserWindow({ webPreferences: { nodeIntegration: true, sandbox: false } });\n');
  const r = spawnSync(process.execPath, [tool, '-i', input, '-e', electron, '-r', '-v', 'false', '-x', EXCLUDED.join(','), '-o', out], {
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  const text = `${r.stdout}\n${r.stderr}`;
  const unparsed = text.split('\n').filter((l) => /Error parsing/.test(l));
  /** Findings as `ID file:line` from the SARIF report. */
  const all = existsSync(out)
    ? JSON.parse(readFileSync(out, 'utf8')).runs[0].results.map((res) => {
        const loc = res.locations?.[0]?.physicalLocation;
        return `${res.ruleId} ${loc?.artifactLocation?.uri ?? 'N/A'}:${loc?.region?.startLine ?? 0}`;
      })
    : [];
  const canary = all.filter((l) => l.includes(' canary.js:'));
  const rows = all.filter((l) => !l.includes(' canary.js:'));
  if (r.status !== 0 || !canary.some((l) => l.startsWith('CONTEXT_ISOLATION_JS_CHECK'))) {
    console.error(`electronegativity did not run (exit ${r.status}):\n${text}`);
    process.exit(1);
  }
  for (const l of unparsed) console.error(`electronegativity: ${l.trim()}`);
  for (const row of rows) console.error(`electronegativity finding: ${row}`);
  console.log(
    `electronegativity on Electron ${electron}: ${rows.length} finding(s), ${unparsed.length} unparsed file(s) (canary seen: ${canary.length} finding(s)); excluded with reasons: ${EXCLUDED.join(', ')}`,
  );
  process.exitCode = rows.length === 0 && unparsed.length === 0 ? 0 : 1;
} finally {
  rmSync(input, { recursive: true, force: true });
  rmSync(out, { force: true });
}
