import type { ChannelDef, EventDef } from './define';

/** Channels of the reports feature. */
export const reportsContract = {} satisfies Record<string, ChannelDef>;

/** Events of the reports feature. */
export const reportsEvents = {} satisfies Record<string, EventDef>;
