/** Whether the storage backend can be reached now; what is missing when it cannot. */
export interface BackendStatus {
  check(): { readonly connected: boolean; readonly detail?: string };
}
