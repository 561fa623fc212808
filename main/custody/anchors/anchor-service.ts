import type { Core } from '../../core/core';
import { AppError } from '../../core/errors';
import type { AwsClients } from '../../aws/clients';
import type { AnchorRecord, AnchorReport, AnchorSettings } from '../../../common/contract/custody';
import type { LedgerService } from '../ledger-service';
import { fetchFromS3, publishToS3 } from './s3-anchor';
import { requestTimestamp } from './tsa';

const KEY = 'custody.anchors';

/** AWS clients of the current session (connected on demand); asked for only when S3 is configured or named. */
export type AwsProvider = () => Promise<AwsClients>;

interface Row {
  kind: 's3' | 'tsa';
  seq: number;
  hash: string;
  location: string;
  detail: string;
  checkpoint: string;
  token: string | null;
  created_at: string;
}

/**
 * External anchors for custody checkpoints, beyond anyone with access to the
 * data folder or the investigator's key: an S3 bucket with Object Lock in
 * compliance mode, and an RFC 3161 time-stamp authority. Off by default; with
 * neither configured Lariat never goes online for custody.
 */
export class AnchorService {
  constructor(
    private readonly core: Core,
    private readonly ledger: LedgerService,
    private readonly fetchImpl: typeof fetch = (...a) => fetch(...a),
  ) {}

  settings(): AnchorSettings {
    const raw = this.core.settings.getRaw<Partial<AnchorSettings>>(KEY) ?? {};
    return { s3: raw.s3 ?? null, tsa: raw.tsa ?? null };
  }

  setSettings(patch: Partial<AnchorSettings>): AnchorSettings {
    const next = { ...this.settings(), ...patch };
    this.core.settings.setRaw(KEY, next);
    this.core.activity.record({ caseId: null, action: 'custody.anchors-configured', entity: 'settings', entityId: KEY, details: next });
    return next;
  }

  list(caseNumber: string): AnchorRecord[] {
    const caseId = this.core.cases.require(caseNumber).id;
    return this.core.db
      .prepare<[number], Row>(
        'SELECT kind, seq, hash, location, detail, checkpoint, token, created_at FROM custody_anchors WHERE case_id = ? ORDER BY id',
      )
      .all(caseId)
      .map((r) => ({
        kind: r.kind,
        seq: r.seq,
        hash: r.hash,
        location: r.location,
        detail: r.detail,
        checkpoint: r.checkpoint,
        token: r.token,
        createdAt: r.created_at,
      }));
  }

  /**
   * Signs a checkpoint of the ledger now and publishes it to every configured
   * anchor; only when all succeeded are the anchors stored and an `anchored`
   * entry appended (a retry is safe: the S3 key is derived from the text).
   */
  async anchor(caseNumber: string, clients: AwsProvider): Promise<AnchorRecord[]> {
    const cfg = this.settings();
    if (!cfg.s3 && !cfg.tsa)
      throw new AppError(
        'anchors-not-configured',
        'No external anchor is configured, so there is nowhere to publish a checkpoint.',
        'Configure an S3 Object Lock bucket or a time-stamp authority: `lariat custody anchors --s3-bucket B --s3-region R --retention-days N` or `--tsa-url URL`.',
      );
    const cp = this.ledger.checkpoint(caseNumber);
    if (cp.seq === 0)
      throw new AppError('ledger-empty', `The ledger of ${caseNumber} has no entries yet.`, 'Anchor it once something is recorded.');
    const now = this.core.clock.now();
    const records: AnchorRecord[] = [];
    if (cfg.s3) {
      const r = await publishToS3(await clients(), cfg.s3, cp, now);
      records.push({
        kind: 's3',
        seq: cp.seq,
        hash: cp.hash,
        location: r.location,
        detail: r.detail,
        checkpoint: cp.text,
        token: null,
        createdAt: now.toISOString(),
      });
    }
    if (cfg.tsa) {
      const r = await requestTimestamp(cfg.tsa.url, cp.text, this.fetchImpl);
      records.push({
        kind: 'tsa',
        seq: cp.seq,
        hash: cp.hash,
        location: cfg.tsa.url,
        detail: `time ${r.info.genTime}, serial ${r.info.serial}, by ${r.info.tsa.subject.replace(/\n/g, ', ')}`,
        checkpoint: cp.text,
        token: r.der.toString('base64'),
        createdAt: now.toISOString(),
      });
    }
    const caseId = this.core.cases.require(caseNumber).id;
    const insert = this.core.db.prepare(
      'INSERT INTO custody_anchors (case_id, kind, seq, hash, location, detail, checkpoint, token, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.core.db.transaction(() => {
      for (const r of records) insert.run(caseId, r.kind, r.seq, r.hash, r.location, r.detail, r.checkpoint, r.token, r.createdAt);
      this.ledger.append(caseNumber, {
        evidence: null,
        action: 'anchored',
        purpose: `checkpoint of entry ${cp.seq} published to ${records.map((r) => r.location).join(' and ')}`,
        details: {
          checkpoint: { seq: cp.seq, hash: cp.hash, at: cp.at, signer: cp.signer },
          anchors: records.map((r) => ({ kind: r.kind, location: r.location, detail: r.detail })),
        },
      });
    })();
    this.ledger.syncHead(caseNumber);
    return records;
  }

  /** Fetches S3 anchors for a verification: each becomes a checkpoint (if its lock holds) and a report line. */
  async fetchS3(
    uris: string[],
    clients: AwsProvider,
  ): Promise<{ checkpoints: { text: string; label: string }[]; reports: AnchorReport[] }> {
    const checkpoints: { text: string; label: string }[] = [];
    const reports: AnchorReport[] = [];
    if (uris.length === 0) return { checkpoints, reports };
    const aws = await clients();
    const region = this.settings().s3?.region ?? 'us-east-1';
    for (const uri of uris) {
      const r = await fetchFromS3(aws, uri, region, this.core.clock.now());
      reports.push(r.report);
      if (r.text && r.report.ok) checkpoints.push({ text: r.text, label: `S3 anchor ${uri}` });
    }
    return { checkpoints, reports };
  }
}
