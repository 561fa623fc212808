import { Command, CommanderError } from 'commander';
import { createServices, lariatVersion, type Services } from '../services';
import { defaultDataDir } from '../core/paths';
import { toErrorInfo } from '../core/errors';
import { classifyFault } from '../core/faults';
import type { CliContext, CliIo } from './context';
import { cliDoor } from './door';
import { registerCaseCommands } from './commands/case';
import { registerCustodyCommands } from './commands/custody';
import { registerTimelineCommands } from './commands/timeline';
import { registerRespondCommands } from './commands/respond';
import { registerReportCommands } from './commands/report';
import { registerRulesCommands } from './commands/rules';
import { registerPlanCommands } from './commands/plan';
import { registerTaskCommands } from './commands/task';
import { registerIncidentCommands } from './commands/incident';
import { registerRunbookCommands } from './commands/runbook';
import { registerAnalysisCommands } from './commands/analysis';
import { registerAcquireCommands } from './commands/acquire';

const stdio: CliIo = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
};

/**
 * `lariat`: the same services as the app, from a terminal. Returns the exit
 * code: 0 on success, 1 when a command failed (error on stderr), 2 on usage
 * errors. Services are opened only when a command needs them.
 */
export async function runCli(
  argv: string[],
  options: { io?: CliIo; env?: NodeJS.ProcessEnv; services?: () => Services } = {},
): Promise<number> {
  const io = options.io ?? stdio;
  const env = options.env ?? process.env;
  let opened: Services | undefined;
  const services = (): Services => {
    opened ??= options.services
      ? options.services()
      : createServices({ dataDir: defaultDataDir(env), env, onWarning: (m) => io.err(`warning: ${m}`) });
    return opened;
  };
  const ctx: CliContext = { io, env, exitCode: 0, services, ...cliDoor(services, io) };
  const program = new Command('lariat')
    .description('Lariat: forensics workstation for incident response on AWS.\nData folder: $LARIAT_DATA_DIR, or the per-user default.')
    .version(lariatVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run with --help for usage)');
  registerCaseCommands(program, ctx);
  registerCustodyCommands(program, ctx);
  registerTimelineCommands(program, ctx);
  registerRespondCommands(program, ctx);
  registerReportCommands(program, ctx);
  registerRulesCommands(program, ctx);
  registerPlanCommands(program, ctx);
  registerTaskCommands(program, ctx);
  registerIncidentCommands(program, ctx);
  registerRunbookCommands(program, ctx);
  registerAnalysisCommands(program, ctx);
  registerAcquireCommands(program, ctx);
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
    const fault = opened ? classifyFault(err, { dbFile: opened.core.paths.dbFile, logFile: log?.file ?? null }) : null;
    const info = fault?.toInfo() ?? toErrorInfo(err);
    log?.write(info.code === 'internal' ? 'error' : 'warn', 'cli', {
      command,
      exit: 1,
      code: info.code,
      ...(info.code === 'internal' ? { error: err } : {}),
    });
    io.err(`error: ${info.message}\nhint: ${info.hint}`);
    if (info.code === 'internal' && env.LARIAT_DEBUG) io.err(String((err as Error).stack));
    return 1;
  } finally {
    opened?.close();
  }
}
