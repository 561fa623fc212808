/** The JSON keys of a raw record. */
export const SEARCH_KEYS = /"[\w@.-]*":/g;

/**
 * What the full-text index sees of a raw record: its values without its keys.
 * Keys repeat in every record of a source ("eventVersion", "userIdentity"...),
 * so indexing them doubles the index for nothing an investigator searches for.
 */
export const searchText = (raw: string): string => raw.replace(SEARCH_KEYS, ' ');
