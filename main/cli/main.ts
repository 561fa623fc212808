import { Command, CommanderError } from 'commander';
import type { z } from 'zod';
import type { ChannelName, ParsedInputOf, ResultOf } from '../../common/contract';
import type { Services } from '../services';
import { lariatVersion } from '../core/version';
import { defaultDataDir } from '../core/paths';
import { toErrorInfo } from '../core/errors';
import { classifyFault } from '../core/faults';
import type { CliContext, CliIo } from './context';
import { pipeSafeIo } from './pipe-safe-io';
import { cliHint } from './hints';
import { setRuntime } from './lazy';
import { setPositionals } from './parse';
import { registerCaseCommands } from './commands/case';
import { registerWorkspaceCommands } from './commands/workspace';
import { registerCustodyCommands } from './commands/custody';
import { registerTimelineCommands } from './commands/timeline';
import { registerRespondCommands } from './commands/respond';
import { registerS3LambdaCommands } from './commands/respond-s3-lambda';
import { registerReportCommands } from './commands/report';
import { registerRulesCommands } from './commands/rules';
import { registerPlanCommands } from './commands/plan';
import { registerIncidentCommands } from './commands/incident';
import { registerRunbookCommands } from './commands/runbook';
import { registerAnalysisCommands } from './commands/analysis';
import { registerAcquireCommands } from './commands/acquire';

/** The services, the operations and the AWS SDK behind them: loaded only once a command runs (see `runCli`). */
type Runtime = typeof import('./runtime');

/**
 * Every command of `lariat`, without running any. A command's options are read only before its
 * subcommand's name (`enablePositionalOptions`, inherited by every command made from here): `timeline` and
 * `timeline show` both have `--json`, and Commander otherwise gives an option to the outermost command that
 * defines it wherever it stands, so `lariat timeline show <case> <id> --json` printed text.
 */
export function buildProgram(ctx: CliContext): Command {
  const { io } = ctx;
  const program = new Command('lariat')
    .description('Lariat: forensics workstation for incident response on AWS.\nData folder: $LARIAT_DATA_DIR, or the per-user default.')
    .version(lariatVersion(), '-V, --version')
    .exitOverride()
    .enablePositionalOptions()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run with --help for usage)');
  registerCaseCommands(program, ctx);
  registerWorkspaceCommands(program, ctx);
  registerCustodyCommands(program, ctx);
  registerTimelineCommands(program, ctx);
  registerRespondCommands(program, ctx);
  registerS3LambdaCommands(program, ctx);
  registerReportCommands(program, ctx);
  registerRulesCommands(program, ctx);
  registerPlanCommands(program, ctx);
  registerIncidentCommands(program, ctx);
  registerRunbookCommands(program, ctx);
  registerAnalysisCommands(program, ctx);
  registerAcquireCommands(program, ctx);
  return program;
}

/**
 * `lariat`: the same services as the app, from a terminal. Returns the exit
 * code: 0 on success, 1 when a command failed (error on stderr), 2 on usage
 * errors.
 *
 * Start-up cost is kept to commander and the contract's schemas: `--help`, `--version` and usage errors
 * never load the services, the database driver or the AWS SDK. The first command action loads them
 * (`preAction` hook, a dynamic import that esbuild splits into its own chunk).
 */
export async function runCli(
  argv: string[],
  options: { io?: CliIo; env?: NodeJS.ProcessEnv; services?: () => Services } = {},
): Promise<number> {
  const io = options.io ?? pipeSafeIo();
  setPositionals([]);
  const env = options.env ?? process.env;
  let runtime: Runtime | undefined;
  let opened: Services | undefined;
  const loaded = (): Runtime => {
    if (!runtime) throw new Error('the CLI runtime is loaded before the first command action');
    return runtime;
  };
  const services = (): Services => {
    opened ??= options.services
      ? options.services()
      : loaded().createServices({ dataDir: defaultDataDir(env), env, onWarning: (m) => io.err(`warning: ${m}`) });
    return opened;
  };
  let door: ReturnType<Runtime['cliDoor']> | undefined;
  const theDoor = () => (door ??= loaded().cliDoor(services, io));
  const ctx: CliContext = {
    io,
    env,
    exitCode: 0,
    services,
    op: <K extends ChannelName>(name: K, raw: Record<string, unknown>, schema?: z.ZodType<ParsedInputOf<K>>): Promise<ResultOf<K>> =>
      theDoor().op(name, raw, schema),
    grant: (filePath, purpose, grantOptions) => theDoor().grant(filePath, purpose, grantOptions),
    waitJob: <T>(jobId: string) => theDoor().waitJob<T>(jobId),
  };
  const program = buildProgram(ctx).hook('preAction', async (_program, action) => {
    setPositionals(action.registeredArguments.map((a) => a.name()));
    runtime ??= await import('./runtime');
    setRuntime(runtime);
  });
  // The log names the command (its first words), never its arguments.
  const command = argv
    .slice(0, 2)
    .filter((a) => !a.startsWith('-'))
    .join(' ');
  try {
    await program.parseAsync(argv, { from: 'user' });
    opened?.core.log.info('cli', { command, exit: ctx.exitCode });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? 0 : 2;
    }
    const log = opened?.core.log;
    const fault = opened ? classifyFault(err, { dbFile: opened.core.paths.dbFile, logFile: log?.file ?? null, db: opened.core.db }) : null;
    const info = fault?.toInfo() ?? toErrorInfo(err);
    log?.write(info.code === 'internal' ? 'error' : 'warn', 'cli', {
      command,
      exit: 1,
      code: info.code,
      ...(info.code === 'internal' ? { error: err } : {}),
    });
    io.err(`error: ${info.message}\nhint: ${cliHint(info)}`);
    if (info.code === 'internal' && env.LARIAT_DEBUG) io.err(String((err as Error).stack));
    return 1;
  } finally {
    opened?.close();
  }
}
