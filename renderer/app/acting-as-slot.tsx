/** Who Lariat acts as in AWS (wired to the response feature once it lands). */
export function ActingAsSlot() {
  return <span className="acting-as">AWS: not connected</span>;
}
