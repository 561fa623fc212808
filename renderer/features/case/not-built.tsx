/** Placeholder for a tab whose feature has not landed: says so plainly instead of pretending. */
export function NotBuilt({ what }: { what: string }) {
  return (
    <div className="empty-state" role="status">
      <h2>{what} is not built yet</h2>
      <p>This part of Lariat is planned but not available in this version.</p>
    </div>
  );
}
