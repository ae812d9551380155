/**
 * WebSocket close codes the server uses, with the reason sent beside each. The 4xxx range is the
 * application's own (RFC 6455 §7.4.2); the last three digits echo the nearest HTTP status. The
 * y-websocket provider stops reconnecting after a code in 4400–4499, so only codes where retrying cannot
 * help are in that range.
 */
export const CloseCode = {
  /** The server is shutting down; clients reconnect. */
  goingAway: 1001,
  /** A message could not be decoded or an update failed its check. */
  malformedMessage: 4400,
  /** No valid session or token for an edition that requires one. */
  unauthenticated: 4401,
  /**
   * The sender may not change this document (a reader, a reviewer on the text), or has lost access to it
   * while connected (removed, role lowered, token or session revoked): the reason says which.
   */
  forbidden: 4403,
  /** No such edition or document: nothing is created by accident. */
  unknownDocument: 4404,
  /** The client's schema version is older than the server's. */
  schemaOutdated: 4426,
  /** The document would grow past its size limit. */
  documentTooLarge: 4413,
  /** The client does not read what it is sent fast enough. */
  slowConsumer: 4503,
  /** An update could not be stored; it was not acknowledged. */
  storageFailure: 4500,
} as const;

export type CloseCodeName = keyof typeof CloseCode;

/** Codes after which a client should not reconnect by itself: retrying cannot help. */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.unauthenticated,
  CloseCode.forbidden,
  CloseCode.unknownDocument,
  CloseCode.schemaOutdated,
]);
