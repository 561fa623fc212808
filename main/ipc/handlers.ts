import type { ChannelName, ParsedInputOf, ResultOf } from '../../common/contract';
import type { Services } from '../services';
import { assetHandlers, caseHandlers, jobHandlers } from '../cases/handlers';
import { custodyHandlers } from '../custody/handlers';
import { timelineHandlers } from '../timeline/handlers';
import { responseHandlers } from '../response/handlers';
import { reportsHandlers } from '../reports/handlers';
import { acquireHandlers } from '../acquire/handlers';

export type Handlers = { [K in ChannelName]: (input: ParsedInputOf<K>) => ResultOf<K> | Promise<ResultOf<K>> };

/** Every channel's handler, from each feature's slice. The type makes a missing handler a compile error. */
export function createHandlers(s: Services): Handlers {
  return {
    ...caseHandlers(s),
    ...jobHandlers(s),
    ...assetHandlers(s),
    ...custodyHandlers(s),
    ...timelineHandlers(s),
    ...responseHandlers(s),
    ...reportsHandlers(s),
    ...acquireHandlers(s),
  };
}
