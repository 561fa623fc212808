import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli';
import { perTest } from '../../helpers/temp-dirs';
import { cloudTrailRecord, deliveryText } from '../../helpers/cloudtrail-record';

const { dir: tempDir } = perTest();

const delivery = deliveryText(cloudTrailRecord('e-1'));

async function caseIn(): Promise<{ dir: string; c: string; logs: string }> {
  const dir = tempDir();
  expect((await cli(dir, 'identity', 'init', '--name', 'Ada Analyst', '--role', 'Responder')).code).toBe(0);
  const c = (await cli(dir, 'case', 'new', '--title', 'Walk')).out;
  const logs = path.join(dir, 'logs-in');
  fs.mkdirSync(logs);
  return { dir, c, logs };
}

const LINK = 'a symbolic link: not followed inside a folder (a folder tree could point anywhere); name it to import what it points to';
const NAME = 'a name Lariat does not read inside folders (.json, .jsonl, .ndjson, .log, .txt, or .gz); name the file to import it';

/**
 * The fault: a folder whose logs Lariat does not take (links a download tool made, a Security Lake export's
 * .parquet, an empty folder). The import said "0 imported ... in 0 file(s)" and exited 0, which a script reads as
 * done; what a folder held beside the logs it took was never said. Links stay unfollowed (a hostile tree could point
 * at ~/.aws/credentials), but every entry not taken is named, and a folder with nothing to import is refused.
 */
describe('what a folder holds that is not imported is said', () => {
  it.runIf(process.platform !== 'win32')('a folder of links, of other names, or empty: refused by name, nothing imported', async () => {
    const { dir, c, logs } = await caseIn();
    const real = path.join(dir, 'real.json');
    fs.writeFileSync(real, delivery);
    fs.symlinkSync(real, path.join(logs, 'a.json'));
    execFileSync('mkfifo', [path.join(logs, 'pipe.json')]);
    fs.writeFileSync(path.join(logs, 'findings.parquet'), 'PAR1');
    fs.writeFileSync(path.join(logs, 'README.md'), 'about these logs');
    const r = await cli(dir, 'import', c, logs);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `error: No file to import in ${logs}; it holds 1 entry: ${LINK}; 1 entry: ${NAME}; 1 entry: not a regular file (a pipe, socket or device). Nothing was imported.\n` +
        'hint: Name the files themselves (a named file is read whatever its name), or give the folder that holds the logs.',
    );
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    expect((await cli(dir, 'import', c, empty)).err).toMatch(/^error: No file to import in .*empty; it is empty\. Nothing was imported\./);
    expect(JSON.parse((await cli(dir, 'evidence', 'list', c, '--json')).out)).toEqual([]);
    // Named, the link is read (what it points to).
    const named = await cli(dir, 'import', c, path.join(logs, 'a.json'));
    expect(named.code, named.err).toBe(0);
    expect(named.out).toMatch(/total: 1 imported/);
  });

  it.runIf(process.platform !== 'win32')(
    'beside logs it takes, each entry not taken is listed and counted; the report carries them',
    async () => {
      const { dir, c, logs } = await caseIn();
      fs.writeFileSync(path.join(logs, 'ct.json'), delivery);
      fs.symlinkSync(path.join(logs, 'ct.json'), path.join(logs, 'link.json'));
      fs.writeFileSync(path.join(logs, 'notes.docx'), 'x');
      const r = await cli(dir, 'import', c, logs);
      expect(r.code, r.err).toBe(0);
      expect(r.err).toContain(`  not imported: ${path.join(logs, 'link.json')}: ${LINK}`);
      expect(r.err).toContain(`  not imported: ${path.join(logs, 'notes.docx')}: ${NAME}`);
      expect(r.out).toMatch(/total: 1 imported, .*; 2 entries of the folders not imported \(listed above\)$/);
      const json = JSON.parse((await cli(dir, 'import', c, logs, '--json')).out) as { skipped: { path: string }[]; skippedCount: number };
      expect([json.skippedCount, json.skipped.map((s) => path.basename(s.path))]).toEqual([2, ['link.json', 'notes.docx']]);
    },
  );
});
