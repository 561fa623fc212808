import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli';
import { perTest } from '../../helpers/temp-dirs';

const { dir: dataDir } = perTest();

/**
 * The fault: a command given a path that is not a small readable file. Read raw, a missing file ended as an
 * unexpected `ENOENT`, a folder as `EISDIR`, and /dev/zero as `Invalid string length` once memory ran out.
 * Each is now refused with what the file is and what to give instead, and nothing is recorded.
 */
describe('files a command reads are checked before they are read', () => {
  it.each([
    ['a missing file', () => '/nonexistent/lariat-test', /The note body file \/nonexistent\/lariat-test does not exist\./],
    ['a folder', () => '/etc', /The note body file \/etc is not a regular file \(a folder, device or pipe\)\./],
    ['a device that never ends', () => '/dev/zero', /The note body file \/dev\/zero is not a regular file/],
  ])('note add --body-file: %s', async (_name, file, message) => {
    const dir = dataDir();
    const c = (await cli(dir, 'case', 'new', '--title', 'Files')).out;
    const r = await cli(dir, 'note', 'add', c, '--title', 'n', '--body-file', file());
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
    expect(r.err).toContain('hint: Give a Markdown file of at most 200,000 characters');
    expect(r.err).not.toContain('unexpected');
    expect(JSON.parse((await cli(dir, 'note', 'list', c, '--json')).out)).toEqual([]);
  });

  it('a file past the size read is refused by its size', async () => {
    const dir = dataDir();
    const c = (await cli(dir, 'case', 'new', '--title', 'Files')).out;
    const big = path.join(dir, 'big.md');
    fs.writeFileSync(big, 'x'.repeat(800_001));
    const r = await cli(dir, 'note', 'add', c, '--title', 'n', '--body-file', big);
    expect(r.err).toContain(`The note body file ${big} holds 800001 bytes, more than the 781 KiB read.`);
  });

  it('custody verify --checkpoint and plan import name the file too', async () => {
    const dir = dataDir();
    const c = (await cli(dir, 'case', 'new', '--title', 'Files')).out;
    const verify = await cli(dir, 'custody', 'verify', c, '--checkpoint', '/etc');
    expect(verify.code).toBe(1);
    expect(verify.err).toMatch(/^error: The checkpoint file \/etc is not a regular file/);
    const plan = await cli(dir, 'plan', 'import', '/nonexistent/plan.json');
    expect(plan.err).toMatch(/^error: The plan file \/nonexistent\/plan\.json does not exist\./);
  });
});

describe('due dates are days of the calendar', () => {
  it.each(['2024-02-30', '2023-02-29', '2026-04-31', '2026-13-01'])('%s is refused', async (due) => {
    const dir = dataDir();
    const c = (await cli(dir, 'case', 'new', '--title', 'Dates')).out;
    const r = await cli(dir, 'task', 'add', c, 'Snapshot', '--due', due);
    expect(r.code).toBe(1);
    expect(r.err).toContain('a due date is a day of the calendar, like 2026-12-31');
    expect(JSON.parse((await cli(dir, 'task', 'list', c, '--json')).out)).toEqual([]);
  });
  it('a leap day is a day', async () => {
    const dir = dataDir();
    const c = (await cli(dir, 'case', 'new', '--title', 'Dates')).out;
    expect((await cli(dir, 'task', 'add', c, 'Snapshot', '--due', '2028-02-29')).code).toBe(0);
  });
});
