/**
 * A minimal well-formed CloudTrail record (an IAM user's GetObject), for tests that need a file the timeline
 * imports and care about where it is, not what it says.
 */
export function cloudTrailRecord(eventId: string, user = 'a'): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    eventTime: '2024-01-01T00:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    eventID: eventId,
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::123456789012:user/${user}`, accountId: '123456789012' },
    recipientAccountId: '123456789012',
  };
}

/** A CloudTrail delivery file's text holding `records`. */
export const deliveryText = (...records: Record<string, unknown>[]): string => JSON.stringify({ Records: records });
