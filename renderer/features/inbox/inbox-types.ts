/** What the inbox needs of a case to offer it as an attach target. */
export interface CaseSummary {
  number: string;
  title: string;
}
