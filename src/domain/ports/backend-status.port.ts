/** Whether the storage backend can be reached now; what is missing when it cannot. */
export interface BackendStatus {
  check(): { readonly connected: boolean; readonly detail?: string };
  /**
   * Changes every time the connection to the backend is lost. A backend that went away entirely
   * may come back without what it held: what a process remembers of it from an earlier epoch must
   * be read again.
   */
  connectionEpoch(): number;
  /**
   * Changes whenever a node of the backend leaves or joins (a split and its merge among them), where
   * the backend has nodes. Events can then enter the log later than they were recorded.
   */
  membershipChanges?(): number;
}
