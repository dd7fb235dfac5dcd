export type AccountCommand =
  | { readonly type: 'OpenAccount'; readonly owner: string; readonly currency: string }
  | { readonly type: 'Deposit'; readonly amount: number }
  | { readonly type: 'Withdraw'; readonly amount: number }
  | { readonly type: 'DebitForTransfer'; readonly amount: number; readonly transferId: string }
  | {
      readonly type: 'CreditForTransfer';
      readonly amount: number;
      readonly transferId: string;
      readonly currency: string;
    }
  | { readonly type: 'RefundTransfer'; readonly amount: number; readonly transferId: string }
  | { readonly type: 'CloseAccount'; readonly hasPendingOutgoingTransfers: boolean };
