import type { Command } from 'commander';
import type { CliContext } from '../context';

/** Commands of the custody feature; filled in by that feature. */
export function registerCustodyCommands(_program: Command, _ctx: CliContext): void {}
