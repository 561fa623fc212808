import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../main/cli/main';
import type { CliContext } from '../../../main/cli/context';

/**
 * The fault: Commander gives an option to the outermost command that defines it, wherever it stands. Three
 * commands lost theirs that way: `timeline show … --json` and `timeline settings … --json` printed text
 * (`timeline` has `--json` too), and `runbook start --version 3` printed Lariat's version and did nothing
 * (the program has `--version`). This walks every command and checks that each option a command shares with
 * an ancestor reaches that command when typed after its name, as the usage line shows it.
 */

/** Every command, each action replaced by one that records who ran with which options. */
function program(): { root: Command; ran: { path: string; opts: Record<string, unknown> }[] } {
  const ran: { path: string; opts: Record<string, unknown> }[] = [];
  const io = { out: () => undefined, err: () => undefined };
  const root = buildProgram({ io, env: {}, exitCode: 0 } as unknown as CliContext);
  const record = (c: Command, path: string[]) => {
    const full = [...path, c.name()];
    c.action((...args: unknown[]) => {
      ran.push({ path: full.join(' '), opts: (args.at(-1) as Command).opts() });
    });
    for (const sub of c.commands) record(sub, full);
  };
  for (const c of root.commands) record(c, []);
  return { root, ran };
}

/** Each (command path, option) a command shares with one of its ancestors. */
function shared(root: Command): { path: string[]; cmd: Command; flag: string; attr: string; takesValue: boolean }[] {
  const out: { path: string[]; cmd: Command; flag: string; attr: string; takesValue: boolean }[] = [];
  const walk = (c: Command, path: string[], ancestors: Command[]) => {
    const above = new Set(ancestors.flatMap((a) => a.options.map((o) => o.long)));
    for (const o of c.options)
      if (o.long && above.has(o.long))
        out.push({ path, cmd: c, flag: o.long, attr: o.attributeName(), takesValue: o.required || o.optional });
    for (const sub of c.commands) walk(sub, [...path, sub.name()], [...ancestors, c]);
  };
  for (const c of root.commands) walk(c, [c.name()], [root]);
  return out;
}

describe('an option a command shares with an ancestor reaches the command it is typed after', () => {
  const { root } = program();
  const cases = shared(root);

  it('finds the shared options (the walk sees what it checks)', () => {
    const names = cases.map((c) => `${c.path.join(' ')} ${c.flag}`);
    expect(names).toEqual(
      expect.arrayContaining(['timeline show --json', 'timeline settings --json', 'runbook start --version', 'findings inbox --json']),
    );
  });

  it.each(cases.map((c) => [`${c.path.join(' ')} ${c.flag}`, c] as const))('%s', async (_name, c) => {
    const { root: fresh, ran } = program();
    const operands = c.cmd.registeredArguments.filter((a) => a.required).map(() => 'x');
    // Options the command requires get a value too (not the one checked).
    const required = c.cmd.options.filter((o) => o.mandatory && o.long !== c.flag).flatMap((o) => [o.long!, 'x']);
    const argv = [...c.path, ...operands, ...required, c.flag, ...(c.takesValue ? ['3'] : [])];
    await fresh.parseAsync(argv, { from: 'user' });
    expect(ran.map((r) => r.path)).toEqual([c.path.join(' ')]);
    // A repeatable option collects its values in a list.
    const got = ran[0]!.opts[c.attr];
    expect(Array.isArray(got) ? got : [got]).toEqual([c.takesValue ? '3' : true]);
  });
});
