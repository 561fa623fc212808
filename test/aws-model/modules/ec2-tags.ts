import { EC2Client, type CreateTagsCommandInput, type DescribeTagsCommandInput } from '@aws-sdk/client-ec2';
import { h, type CallContext, type ModelModule } from '../types';

export interface TagState {
  /** Resource id → tag key → value, for every EC2 resource type. */
  tags: Record<string, Record<string, string>>;
}

export interface Filter {
  Name?: string;
  Values?: string[];
}

/** EC2's filter semantics: every filter must match; within one, any value; `*` and `?` are wildcards. */
export function matches(filters: Filter[] | undefined, field: (name: string) => (string | undefined)[] | undefined): boolean {
  for (const f of filters ?? []) {
    const have = field(f.Name ?? '');
    if (have === undefined) continue;
    const patterns = (f.Values ?? []).map(
      (v) =>
        new RegExp(
          `^${v
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.')}$`,
        ),
    );
    if (!have.some((h) => h !== undefined && patterns.some((p) => p.test(h)))) return false;
  }
  return true;
}

/** The tags of a resource in the call's region. */
export function tagsOf(ctx: CallContext<unknown>, id: string): Record<string, string> {
  return ctx.slice<TagState>('ec2-tags').tags[id] ?? {};
}

export function tagList(ctx: CallContext<unknown>, id: string): { Key: string; Value: string }[] {
  return Object.entries(tagsOf(ctx, id)).map(([Key, Value]) => ({ Key, Value }));
}

/** `tag:<key>` and `tag-key` filter values of a resource, for `matches`. */
export function tagField(ctx: CallContext<unknown>, id: string, name: string): string[] | undefined {
  const tags = tagsOf(ctx, id);
  if (name === 'tag-key') return Object.keys(tags);
  if (name.startsWith('tag:')) {
    const v = tags[name.slice(4)];
    return v === undefined ? [] : [v];
  }
  return undefined;
}

/** Applies the TagSpecifications of a create call (the tags land atomically with the resource, as in AWS). */
export function applyTagSpecifications(
  ctx: CallContext<unknown>,
  id: string,
  resourceType: string,
  specs: { ResourceType?: string; Tags?: { Key?: string; Value?: string }[] }[] | undefined,
): void {
  const tags = ctx.slice<TagState>('ec2-tags').tags;
  for (const spec of specs ?? []) {
    if (spec.ResourceType !== resourceType) continue;
    const t = (tags[id] ??= {});
    for (const tag of spec.Tags ?? []) if (tag.Key) t[tag.Key] = tag.Value ?? '';
  }
}

/** EC2 tags on any resource type: CreateTags is idempotent (same key, same value), unknown resources are refused. */
export const ec2Tags: ModelModule<TagState> = {
  name: 'ec2-tags',
  service: 'ec2',
  client: EC2Client,
  scope: 'regional',
  throttlingCode: 'RequestLimitExceeded',
  initial: () => ({ tags: {} }),
  handlers: {
    CreateTags: h<CreateTagsCommandInput, TagState>((i, ctx) => {
      for (const id of i.Resources ?? []) if (!ctx.model.exists(ctx.region, id)) ctx.error('InvalidID', `The ID '${id}' is not valid`);
      for (const id of i.Resources ?? []) {
        const t = (ctx.state.tags[id] ??= {});
        for (const tag of i.Tags ?? []) if (tag.Key) t[tag.Key] = tag.Value ?? '';
      }
      return {};
    }),
    DescribeTags: h<DescribeTagsCommandInput, TagState>((i, ctx) => {
      const out: { ResourceId: string; Key: string; Value: string }[] = [];
      for (const [id, tags] of Object.entries(ctx.state.tags))
        for (const [Key, Value] of Object.entries(tags))
          if (matches(i.Filters, (n) => (n === 'resource-id' ? [id] : n === 'key' ? [Key] : n === 'value' ? [Value] : undefined)))
            out.push({ ResourceId: id, Key, Value });
      return { Tags: out };
    }),
  },
};
