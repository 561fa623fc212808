import type { ChannelDef, EventDef } from './define';

/** Channels of the timeline feature. */
export const timelineContract = {} satisfies Record<string, ChannelDef>;

/** Events of the timeline feature. */
export const timelineEvents = {} satisfies Record<string, EventDef>;
