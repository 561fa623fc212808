import type { Command } from 'commander';
import type { CliContext } from '../context';

/** Commands of the timeline feature; filled in by that feature. */
export function registerTimelineCommands(_program: Command, _ctx: CliContext): void {}
