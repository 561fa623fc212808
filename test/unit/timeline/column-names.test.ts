import { expect, test } from 'vitest';
import { TimelineColumn, timelineColumnNamed } from '../../../common/contract/timeline';

test('every column is found by its own name in any case', () => {
  for (const c of TimelineColumn.options) {
    expect(timelineColumnNamed(c)).toBe(c);
    expect(timelineColumnNamed(c.toUpperCase())).toBe(c);
    expect(timelineColumnNamed(` ${c.toLowerCase()} `)).toBe(c);
  }
});

test("CloudTrail's and flow logs' own field names mean the column that holds them", () => {
  expect(timelineColumnNamed('eventName')).toBe('action');
  expect(timelineColumnNamed('sourceIPAddress')).toBe('sourceIp');
  expect(timelineColumnNamed('srcaddr')).toBe('sourceIp');
  expect(timelineColumnNamed('awsRegion')).toBe('region');
  expect(timelineColumnNamed('recipientAccountId')).toBe('account');
  expect(timelineColumnNamed('eventID')).toBe('eventId');
  expect(timelineColumnNamed('userIdentity.arn')).toBe('actor');
  expect(timelineColumnNamed('userIdentity.accessKeyId')).toBe('accessKeyId');
  expect(timelineColumnNamed('userIdentity.type')).toBe('identityType');
  expect(timelineColumnNamed('userIdentity.accountId')).toBe('callerAccount');
});

test('anything else is no column (the caller refuses it)', () => {
  for (const n of ['', 'colour', 'requestParameters.bucketName', 'constructor', 'toString', '__proto__', 'userIdentity'])
    expect(timelineColumnNamed(n)).toBeNull();
});
