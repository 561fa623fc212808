import { afterAll, beforeAll } from 'vitest';
import { faultSuite } from './suite';
import {
  lambdaContain,
  lambdaReleaseFive,
  lambdaReleaseNone,
  s3Contain,
  s3ReleaseFromNothing,
  s3ReleaseFromPublic,
} from './s3-lambda-cases';
import { lambdaCodeFetch } from '../aws-model/modules/lambda';

// The presigned Code.Location of the model carries the package: fetch serves it (nothing leaves the machine).
const realFetch = globalThis.fetch;
beforeAll(() => {
  globalThis.fetch = ((url: string) => lambdaCodeFetch()(String(url))) as typeof fetch;
});
afterAll(() => {
  globalThis.fetch = realFetch;
});

faultSuite(s3Contain, [{ method: 'importBytes', count: 1 }]);
faultSuite(s3ReleaseFromPublic);
faultSuite(s3ReleaseFromNothing);
faultSuite(lambdaContain, [{ method: 'importBytes', count: 1 }]);
faultSuite(lambdaReleaseNone);
faultSuite(lambdaReleaseFive);
