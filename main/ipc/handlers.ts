import type { ChannelName, ParsedInputOf, ResultOf } from '../../common/contract';
import type { preloadContract } from '../../common/contract/files';
import type { HandlersFor } from './handler-types';
import type { Services } from '../services';
import { assetOperations, caseOperations, jobOperations } from '../cases/operations';
import { custodyOperations } from '../custody/operations';
import { timelineOperations } from '../timeline/operations';
import { responseOperations } from '../response/operations';
import { reportsOperations } from '../reports/operations';
import { fileOperations, preloadOperations } from '../files/operations';
import { detectionHandlers } from '../detection/handlers';
import { plansHandlers } from '../plans/handlers';
import { incidentsHandlers } from '../incidents/handlers';
import { runbooksHandlers } from '../runbooks/handlers';
import { analysisHandlers } from '../analysis/handlers';
import { withOperationLog } from './operation-log';
import { acquireHandlers } from '../acquire/handlers';
import { fromFindingOperations } from '../response/from-finding-operations';

export type Handlers = { [K in ChannelName]: (input: ParsedInputOf<K>) => ResultOf<K> | Promise<ResultOf<K>> };

/**
 * Every channel's handler: each feature's operations, the one function per operation that the CLI
 * calls too, each writing its line to the log. The type makes a missing handler a compile error.
 */
export function createHandlers(s: Services): Handlers {
  const handlers: Handlers = {
    ...caseOperations(s),
    ...jobOperations(s),
    ...assetOperations(s),
    ...custodyOperations(s),
    ...timelineOperations(s),
    ...responseOperations(s),
    ...reportsOperations(s),
    ...fileOperations(s),
    ...detectionHandlers(s),
    ...plansHandlers(s),
    ...incidentsHandlers(s),
    ...runbooksHandlers(s),
    ...analysisHandlers(s),
    ...acquireHandlers(s),
    ...fromFindingOperations(s),
  };
  return withOperationLog(handlers, { log: s.core.log, dbFile: s.core.paths.dbFile, db: s.core.db });
}

export type PreloadHandlers = HandlersFor<typeof preloadContract>;

/** Channels only the preload calls (dropped files), registered beside the contract but never exposed to the renderer. */
export function createPreloadHandlers(s: Services): PreloadHandlers {
  return withOperationLog(preloadOperations(s), { log: s.core.log, dbFile: s.core.paths.dbFile, db: s.core.db });
}
