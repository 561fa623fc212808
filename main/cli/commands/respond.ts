import type { Command } from 'commander';
import type { CliContext } from '../context';

/** Commands of the respond feature; filled in by that feature. */
export function registerRespondCommands(_program: Command, _ctx: CliContext): void {}
