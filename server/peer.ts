/** What an open document sends to: the connections editing it, and the other servers. */

/** What a document needs of a connection: somewhere to send bytes, and a way to end it. */
export interface Peer {
  readonly id: number;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
  /**
   * Who this peer is, as the others see them: the account's name and the role the door granted. Its
   * awareness states are given these, whatever the client wrote (nobody labels their cursor "Clara").
   */
  identity?(): { name: string | null; role: string };
}

/** Where a document tells the other servers what it stored and who is here (the Redis bus); none alone. */
export interface Relay {
  update(doc: string, seq: number, update: Uint8Array): void;
  awareness(doc: string, update: Uint8Array): void;
}
