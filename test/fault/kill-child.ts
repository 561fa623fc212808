/**
 * A Lariat process for the kill tests: opens the data folder, loads the AWS
 * model persisted by the test (and persists every change back), and runs (or
 * resumes) one action. It stops at the point the test names and says so on
 * stdout, then waits to be killed with SIGKILL:
 *   call <service> <Operation> <nth> <before|after>  a call that never answers (after AWS applied it, or before)
 *   local <method> <nth>                             right after a local write (evidence registered...), the
 *                                                    event loop blocked so nothing else can happen
 * Usage: kill-child.ts <dataDir> <modelFile> <caseNumber> <actionId> <mode...>
 */
import { createServices } from '../../main/services';
import { createResponseFeature } from '../../main/response';
import { AwsModel, defaultModules } from '../aws-model';
import { AWS_ENV, testClock } from '../aws-model/lariat-env';
import { ID } from '../aws-model/scenario';

const [dataDir, modelFile, , actionArg, mode, ...rest] = process.argv.slice(2) as [string, string, string, string, string, ...string[]];
const model = AwsModel.load(modelFile, { modules: defaultModules }).persistTo(modelFile).install();
const services = createServices({ dataDir, env: AWS_ENV, clock: testClock() });
const feature = createResponseFeature(services.core, services.custody, services.timeline, {
  sleep: async () => undefined,
  pollMs: 0,
  deadline: model.deadline.fn,
  heartbeatMs: 0,
});

if (mode === 'call') {
  const [service, op, nth, when] = rest as [string, string, string, string];
  const hit = model.inject({ service: service as never, op, nth: Number(nth), fault: { kind: 'hang', apply: when === 'after' } });
  void hit.reached.then(() => {
    // A call that never answers holds no handle: without this the event loop
    // empties and the process exits by itself before the test kills it.
    setInterval(() => undefined, 60_000);
    process.stdout.write(`STOPPED pid=${process.pid}\n`);
  });
} else {
  const [method, nth] = rest as [string, string];
  const vault = services.custody.vault as unknown as Record<string, (...a: unknown[]) => unknown>;
  const original = vault[method]!.bind(vault);
  let calls = 0;
  vault[method] = (...args: unknown[]) => {
    const out = original(...args);
    if (++calls === Number(nth)) {
      process.stdout.write(`STOPPED pid=${process.pid}\n`);
      // Nothing else may run in this process: the next thing is SIGKILL.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    }
    return out;
  };
}
// Wait to be killed: a call that never answers holds no handle, so without this the process could end on its own.
setInterval(() => undefined, 60_000);
feature.response.run(Number(actionArg), ID).then(
  () => process.stdout.write('FINISHED\n'),
  (err: Error) => process.stdout.write(`FAILED ${err.message}\n`),
);
