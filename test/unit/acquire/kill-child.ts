// Child process for kill.test.ts: runs (or resumes) one bucket acquisition against the
// test's s3rver until it is killed. Run with `node --import tsx kill-child.ts DATA_DIR ENDPOINT ACQUISITION`.
import { mockClient } from 'aws-sdk-client-mock';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createServices } from '../../../main/services';
import * as ops from '../../../main/acquire/operations';

const [dataDir, endpoint, id] = process.argv.slice(2) as [string, string, string];
mockClient(STSClient).on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:aws:iam::111122223333:user/ada' });
const s = createServices({
  dataDir,
  env: { LARIAT_AWS_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'eu-west-1' },
});
await ops.runAcquisition(s.acquire, Number(id));
process.stdout.write('finished\n');
