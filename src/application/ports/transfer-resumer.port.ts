/** Resumes pending transfers after a crash: the reconciler asks it, the transfer process manager answers it. */
export interface TransferResumer {
  advance(transferId: string): Promise<unknown>;
}
