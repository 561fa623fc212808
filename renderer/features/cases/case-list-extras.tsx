/** Buttons other features add to the case list (import bundle, demo case); wired as they land. */
export function CaseListExtras() {
  return null;
}

export function EmptyCaseListExtras() {
  return null;
}
