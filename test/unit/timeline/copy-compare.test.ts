import { expect, test } from 'vitest';
import { copiesDisagree } from '../../../main/timeline/copy-compare';

const held = {
  eventID: 'e-1',
  eventTime: '2024-03-04T09:00:01Z',
  eventName: 'PutBucketPolicy',
  recipientAccountId: '111122223333',
  readOnly: false,
  requestParameters: { bucketName: 'evidence', policy: { Statement: [{ Effect: 'Deny' }] } },
  resources: [{ ARN: 'arn:aws:s3:::evidence' }],
};
const text = (v: unknown) => JSON.stringify(v);
const differs = (copy: unknown) => copiesDisagree(text(held), text(copy));

test('a value both copies carry, at any depth, that differs is a disagreement', () => {
  expect(differs({ ...held, requestParameters: { ...held.requestParameters, bucketName: 'payroll' } })).toBe(true);
  expect(differs({ ...held, requestParameters: { ...held.requestParameters, policy: { Statement: [{ Effect: 'Allow' }] } } })).toBe(true);
  expect(differs({ ...held, resources: [...held.resources, { ARN: 'arn:aws:s3:::other' }] })).toBe(true);
  expect(differs({ ...held, readOnly: true })).toBe(true);
});

test('what only one copy carries, nulls, and spellings of one value are no disagreement', () => {
  expect(differs(held)).toBe(false);
  expect(differs({ ...held, requestID: 'R-1', additionalEventData: { bytes: 3 } })).toBe(false);
  expect(differs({ eventID: 'e-1', eventName: 'PutBucketPolicy' })).toBe(false);
  expect(differs({ ...held, readOnly: 'false', requestParameters: null })).toBe(false);
  // A Lake row: its own time format, structs written as text, only the selected columns.
  expect(
    differs([
      { eventID: 'e-1' },
      { eventTime: '2024-03-04 09:00:01.000' },
      { eventName: 'PutBucketPolicy' },
      { requestParameters: '{bucketName=evidence}' },
    ]),
  ).toBe(false);
  // A lookup-events entry wraps the event as a JSON string.
  expect(differs({ EventId: 'e-1', EventName: 'PutBucketPolicy', CloudTrailEvent: text(held) })).toBe(false);
  expect(differs({ EventId: 'e-1', EventName: 'PutBucketPolicy', CloudTrailEvent: text({ ...held, readOnly: true }) })).toBe(true);
});

test('texts that are not JSON, or not CloudTrail events, are not compared', () => {
  expect(copiesDisagree(text(held), '{"Records": [')).toBe(false);
  expect(copiesDisagree('not json', text(held))).toBe(false);
  expect(differs({ metadata: { uid: 'e-1' }, api: { operation: 'PutBucketPolicy' }, class_uid: 6003 })).toBe(false);
});
