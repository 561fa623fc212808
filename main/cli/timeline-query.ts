import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import type { z } from 'zod';
import { openDatabase } from '../db/database';
import { systemClock } from '../core/clock';
import { osActor } from '../core/actor';
import { EventBus } from '../core/events';
import { AppError } from '../core/errors';
import { classifyFault } from '../core/faults';
import { defaultDataDir, makePaths, searchFileFor } from '../core/paths';
import { ActivityService } from '../activity/activity-service';
import { CaseService } from '../cases/case-service';
import { TimelineService } from '../timeline/timeline-service';
import { timelineReadOperations } from '../timeline/operations';
import { searchDamaged } from '../timeline/fts/search-health';
import { timelineContract } from '../../common/contract/timeline';
import type { CliContext, CliIo } from './context';
import { parseInput, setPositionals } from './parse';
import { defineTimelineQuery } from './commands/timeline';

/** Subcommands of `timeline` that need the whole of Lariat (they are not queries). */
const NOT_QUERIES = new Set(['show', 'settings', 'help']);
/** Filters that need the detection rules loaded: the full CLI runs those queries. */
const DETECTION_OPTIONS = /^--(rule|level|technique)(=|$)/;

/**
 * The quick path of `lariat timeline <case> ...`: the same command definition
 * and the same operations (`timelineReadOperations`, validated by the same
 * contract schemas), over only what a query needs: the case database (opened
 * without a scan), cases and the timeline service. It does not load the AWS
 * SDK, custody or reports, so a query costs little more than starting Node.
 * Returns null when the arguments are not a plain query: the full CLI runs them.
 */
export async function runTimelineQuery(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number | null> {
  if (argv[0] !== 'timeline' || !argv[1] || argv[1].startsWith('-') || NOT_QUERIES.has(argv[1])) return null;
  if (argv.some((a) => a === '--help' || a === '-h' || DETECTION_OPTIONS.test(a))) return null;
  // `lariat timeline <case>`: the case is its one positional argument.
  setPositionals(['case']);
  const paths = makePaths(defaultDataDir(env), '');
  // Only an existing, non-empty case database with a readable search index is queried here: a data folder to create or refuse
  // (an empty database beside a vault of cases is refused, not filled with a new schema),
  // or a damaged index to set aside and rebuild, is the full CLI's work (it starts every service that does it).
  if (!fs.existsSync(paths.dbFile) || fs.statSync(paths.dbFile).size === 0 || searchDamaged(searchFileFor(paths.dbFile))) return null;
  let timeline: TimelineService | undefined;
  let close = () => undefined as void;
  let db: ReturnType<typeof openDatabase> | undefined;
  const read = () => {
    if (!timeline) {
      db = openDatabase(paths.dbFile);
      const opened = db;
      close = () => void opened.close();
      const events = new EventBus();
      const activity = new ActivityService({ db, clock: systemClock, actor: osActor });
      const cases = new CaseService({ db, clock: systemClock, activity, events, actor: osActor });
      timeline = new TimelineService({ db, cases, activity, events, vaultDir: paths.vaultDir, highlight: unsupported });
    }
    return timelineReadOperations(timeline);
  };
  const unsupported = (): never => {
    throw new AppError('internal', 'The quick query path was asked for something it does not do.', 'Run the command again.');
  };
  const op = async (name: string, raw: Record<string, unknown>, schema?: z.ZodType) => {
    const ops = read();
    if (!(name in ops) || !(name in timelineContract)) return unsupported();
    const input = parseInput(schema ?? timelineContract[name as keyof typeof timelineContract].input, raw);
    return (ops[name as keyof typeof ops] as (i: unknown) => unknown)(input);
  };
  const ctx: CliContext = {
    io,
    env,
    exitCode: 0,
    services: unsupported,
    op: op as CliContext['op'],
    grant: unsupported,
    waitJob: unsupported,
  };
  const program = new Command('lariat')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run with --help for usage)');
  defineTimelineQuery(program, ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return 2;
    // A damaged page met by a query is the corrupt-database (or search index) fault, as in the full CLI: not "unexpected error".
    const info = classifyFault(err, { dbFile: paths.dbFile, logFile: null, db }).toInfo();
    io.err(`error: ${info.message}\nhint: ${info.hint}`);
    return 1;
  } finally {
    close();
  }
}
