import type { ChannelDef, EventDef } from './define';

/** Channels of the custody feature. */
export const custodyContract = {} satisfies Record<string, ChannelDef>;

/** Events of the custody feature. */
export const custodyEvents = {} satisfies Record<string, EventDef>;
