import type { Command } from 'commander';
import type { CliContext } from '../context';

/** Commands of the report feature; filled in by that feature. */
export function registerReportCommands(_program: Command, _ctx: CliContext): void {}
