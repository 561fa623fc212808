import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { reportsContract } from '../../common/contract/reports';

export function reportsHandlers(_s: Services): HandlersFor<typeof reportsContract> {
  return {};
}
