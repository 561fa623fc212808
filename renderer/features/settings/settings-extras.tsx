/** Settings panels other features add (investigator identity, AWS connection); wired as they land. */
export function SettingsExtras() {
  return null;
}
