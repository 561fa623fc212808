import type { ChannelDef, EventDef } from './define';

/** Channels of the response feature. */
export const responseContract = {} satisfies Record<string, ChannelDef>;

/** Events of the response feature. */
export const responseEvents = {} satisfies Record<string, EventDef>;
