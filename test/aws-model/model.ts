import fs from 'node:fs';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import type { AwsService } from '../../main/aws/operations';
import { ArmedFault, type FaultHandle, type FaultRule } from './faults';
import { ManualDeadline } from './deadline';
import { awsError, connectionReset, internalError } from './errors';
import type { CallContext, Input, ModelModule, SdkClientClass } from './types';

/** Everything the model holds, JSON only, so it survives a process being killed (see `persistTo`). */
export interface ModelState {
  counter: number;
  now: string;
  account: string;
  global: Record<string, unknown>;
  regions: Record<string, Record<string, unknown>>;
}

export interface CallRecord {
  service: AwsService;
  op: string;
  region: string;
  /** The account the call acted in: the model's own, or a member account whose role was assumed (see `accountOfKey`). */
  account: string;
  input: Input;
  /** What the client saw. */
  outcome: 'ok' | 'error' | 'dropped' | 'stalled' | 'hung';
  /** Error code returned (AWS's own or the injected one). */
  code?: string;
  /** Whether the call changed the model (false for reads and refused calls). */
  applied: boolean;
}

export interface ModelOptions {
  modules: readonly ModelModule[];
  account?: string;
  /** The model's clock (snapshot start times, command times). */
  now?: string;
  /** Start from this state (a model persisted by a process that was killed). */
  state?: ModelState;
}

const READ = /^(Describe|Get|List|Head)/;
type AnyStub = AwsStub<object, { $metadata: object }, unknown>;
type Sender = { config: { region: () => Promise<string>; credentials?: () => Promise<{ accessKeyId?: string }> } };

/** Access keys the STS module hands out for a role in a member account carry that account: ASIA<account>ROLE. */
export const roleKey = (account: string): string => `ASIA${account}ROLE`;
const ROLE_KEY = /^ASIA(\d{12})ROLE$/;

/**
 * A stateful, in-memory stand-in for the AWS APIs Lariat calls, plugged in
 * behind the real SDK clients with aws-sdk-client-mock: every `send` of a
 * routed client class lands in `dispatch`, which finds the module that
 * handles the command, applies its effect to the state and answers as AWS
 * does (including AWS's errors for repeated or stale calls). Faults armed
 * with `inject` are applied per call. The core knows no service: modules
 * (one per service or resource family) add state and handlers.
 */
export class AwsModel {
  readonly calls: CallRecord[] = [];
  /** Commands no module handles: a test should assert this stays empty. */
  readonly unhandled: string[] = [];
  readonly deadline = new ManualDeadline();
  private state: ModelState;
  private readonly routes = new Map<string, ModelModule>();
  private readonly byName = new Map<string, ModelModule>();
  private faults: ArmedFault[] = [];
  private stubs: AnyStub[] = [];
  private persistFile: string | null = null;

  constructor(options: ModelOptions) {
    for (const m of options.modules) {
      if (this.byName.has(m.name)) throw new Error(`aws-model: two modules are named ${m.name}`);
      this.byName.set(m.name, m);
      for (const op of Object.keys(m.handlers)) {
        const key = `${m.service}:${op}`;
        const other = this.routes.get(key);
        if (other) throw new Error(`aws-model: ${key} is handled by both ${other.name} and ${m.name}`);
        this.routes.set(key, m);
      }
    }
    this.state = options.state
      ? structuredClone(options.state)
      : { counter: 0, now: options.now ?? '2026-11-27T09:00:00.000Z', account: options.account ?? '111122223333', global: {}, regions: {} };
  }

  get account(): string {
    return this.state.account;
  }

  /** Routes every SDK client class of the modules into the model (until `restore`). */
  install(): this {
    const classes = new Map<SdkClientClass, AwsService>();
    for (const m of this.byName.values()) classes.set(m.client, m.service);
    for (const [cls, service] of classes) {
      const stub = mockClient(cls as never) as unknown as AnyStub;
      const dispatch = (region: string, op: string, input: Input, account: string) => this.dispatch(service, region, op, input, account);
      const home = () => this.account;
      // sinon calls the fake with the client as `this`: its region is the region of the call, its credentials the account.
      stub.send.callsFake(async function (this: Sender, command: object) {
        const op = command.constructor.name.replace(/Command$/, '');
        const key =
          typeof this.config.credentials === 'function' ? (await this.config.credentials().catch(() => null))?.accessKeyId : undefined;
        const account = ROLE_KEY.exec(key ?? '')?.[1] ?? home();
        return (await dispatch(await this.config.region(), op, (command as { input: Input }).input, account)) as { $metadata: object };
      } as never);
      this.stubs.push(stub);
    }
    return this;
  }

  restore(): void {
    for (const s of this.stubs) s.restore();
    this.stubs = [];
  }

  /** Arms a fault; it fires on the matching call and is spent after it (see Fault). */
  inject(rule: FaultRule): FaultHandle {
    const f = new ArmedFault(rule);
    this.faults.push(f);
    return f;
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** After every call, the state is written to this file (atomically), so a killed process's AWS survives it. */
  persistTo(file: string): this {
    this.persistFile = file;
    this.save(file);
    return this;
  }

  save(file: string): void {
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.state));
    fs.renameSync(tmp, file);
  }

  static load(file: string, options: Omit<ModelOptions, 'state'>): AwsModel {
    return new AwsModel({ ...options, state: JSON.parse(fs.readFileSync(file, 'utf8')) as ModelState });
  }

  /** A deep copy of the whole state (what tests compare). */
  snapshot(): ModelState {
    return structuredClone(this.state);
  }

  setNow(iso: string): void {
    this.state.now = iso;
  }

  /**
   * One module's state in a region (created empty on first use); global modules ignore the region.
   * Regional state of a member account (a role assumed there) is its own, under `<account>:<region>`;
   * the model's own account keeps the plain region key, so single-account tests read as before.
   */
  slice<T>(module: string, region = 'us-east-1', account = this.account): T {
    const m = this.byName.get(module);
    if (!m) throw new Error(`aws-model: no module ${module}`);
    if (m.scope === 'global') return (this.state.global[m.name] ??= m.initial()) as T;
    const r = (this.state.regions[account === this.account ? region : `${account}:${region}`] ??= {});
    return (r[m.name] ??= m.initial()) as T;
  }

  /** Whether any module holds this resource id in the region (CreateTags and friends refuse unknown ids). */
  exists(region: string, resourceId: string): boolean {
    for (const m of this.byName.values()) if (m.owns?.(this.slice(m.name, region), resourceId)) return true;
    return false;
  }

  /** Calls that changed the model. */
  mutations(): CallRecord[] {
    return this.calls.filter((c) => c.applied);
  }

  nextId(prefix: string): string {
    this.state.counter++;
    return `${prefix}-${this.state.counter.toString(16).padStart(17, '0')}`;
  }

  async dispatch(service: AwsService, region: string, op: string, raw: Input, account = this.account): Promise<unknown> {
    const input = structuredClone(raw ?? {});
    const record: CallRecord = { service, op, region, account, input, outcome: 'ok', applied: false };
    this.calls.push(record);
    const m = this.routes.get(`${service}:${op}`);
    if (!m) {
      this.unhandled.push(`${service}:${op}`);
      record.outcome = 'error';
      record.code = 'UnknownOperation';
      throw awsError('UnknownOperation', `aws-model has no handler for ${service}:${op}`, 400);
    }
    const armed = this.faults.find((f) => f.take(service, op, input, region, account));
    const fault = armed?.rule.fault;
    const apply = (): unknown => {
      try {
        const out = m.handlers[op]!(structuredClone(input), this.context(m, service, op, region, account));
        record.applied = !READ.test(op) || record.applied;
        return structuredClone(out ?? {});
      } finally {
        if (this.persistFile) this.save(this.persistFile);
      }
    };
    const quietly = (): void => {
      try {
        apply();
      } catch {
        // AWS refused it; the client never learns, the reply is lost either way.
      }
    };
    const fail = (err: Error, outcome: CallRecord['outcome'] = 'error'): never => {
      record.outcome = outcome;
      record.code = (err as { Code?: string; code?: string }).Code ?? (err as { code?: string }).code;
      throw err;
    };
    switch (fault?.kind) {
      case undefined:
        try {
          return apply();
        } catch (err) {
          return fail(err as Error);
        }
      case 'fail':
        return fail(awsError(fault.code, fault.message ?? `injected ${fault.code}`, fault.status ?? 400));
      case 'throttle':
        return fail(awsError(m.throttlingCode ?? 'Throttling', 'Rate exceeded', 400));
      case 'server-error':
        if (fault.apply) quietly();
        return fail(internalError(service === 'ec2' ? 'InternalError' : 'InternalFailure'));
      case 'drop-reply':
        quietly();
        return fail(connectionReset(), 'dropped');
      case 'drop-reply-retried':
        quietly();
        try {
          return apply();
        } catch (err) {
          return fail(err as Error);
        }
      case 'stall': {
        if (fault.apply) quietly();
        record.outcome = 'stalled';
        queueMicrotask(() => this.deadline.expireAll());
        return new Promise(() => undefined);
      }
      case 'hang': {
        let out: unknown = {};
        if (fault.apply) {
          try {
            out = apply();
          } catch {
            // Refused by AWS: nothing to answer with later but an empty reply.
          }
        }
        record.outcome = 'hung';
        return new Promise((resolve) => (armed!.answer = () => resolve(out)));
      }
    }
  }

  private context<S>(m: ModelModule, service: AwsService, op: string, region: string, account: string): CallContext<S> {
    return {
      state: this.slice<S>(m.name, region, account),
      region,
      account,
      service,
      op,
      model: this,
      error: (code, message, status = 400) => {
        throw awsError(code, message, status);
      },
      id: (prefix) => this.nextId(prefix),
      now: () => this.state.now,
      slice: <T>(name: string, r = region) => this.slice<T>(name, r, account),
    };
  }
}
