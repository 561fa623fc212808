import type { Services } from '../services';
import type { HandlersFor } from '../ipc/handler-types';
import type { responseContract } from '../../common/contract/response';
import { listProfiles } from '../aws/credentials';

/** Response channels: thin mappings onto the AWS session and the response service. */
export function responseOperations(s: Services): HandlersFor<typeof responseContract> {
  const { aws, response, incidents } = s.response;
  return {
    awsWhoAmI: () => aws.whoAmI(),
    awsConnect: (input) => aws.connect(input),
    awsDisconnect: () => {
      aws.disconnect();
      return aws.whoAmI();
    },
    awsListProfiles: () => listProfiles(s.core.env),
    awsGetConfig: () => aws.config(),
    awsUpdateConfig: (input) => aws.updateConfig({ ...input, endpoint: input.endpoint === '' ? null : input.endpoint }),
    findInstances: (input) => response.find(input.caseNumber, input.query, input.regions),
    describeInstance: (input) => response.describe(input.caseNumber, input.region, input.instanceId),
    addInstanceToCase: (input) => response.addInstance(input.caseNumber, input.region, input.instanceId),
    planAction: (input) => response.plan(input),
    runAction: (input) => {
      const { jobId, actionId } = response.start(input.actionId, input.confirm ?? input.confirmInstanceId ?? '');
      return { jobId, actionId };
    },
    planRelease: (input) => response.planRelease(input.actionId),
    listActions: (input) => response.list(input.caseNumber),
    getAction: (input) => response.get(input.actionId),
    discardAction: (input) => response.discard(input.actionId),
    linkIncident: (input) => incidents.linkIncident(input),
    getIncidentStatus: (input) => incidents.status(input.caseNumber),
  };
}
