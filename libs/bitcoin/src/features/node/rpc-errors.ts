/** Bitcoin Core's RPC error codes (src/rpc/protocol.h) that the gateway reacts to. */
export const RPC_ERROR_KINDS = {
  [-1]: 'misc',
  [-3]: 'type-error',
  [-4]: 'wallet-error',
  [-5]: 'invalid-address-or-key',
  [-6]: 'insufficient-funds',
  [-8]: 'invalid-parameter',
  [-13]: 'unlock-needed',
  [-14]: 'wrong-passphrase',
  [-18]: 'wallet-not-found',
  [-19]: 'wallet-not-specified',
  [-22]: 'deserialization-error',
  [-25]: 'verify-error',
  [-26]: 'verify-rejected',
  [-27]: 'already-in-chain',
  [-28]: 'in-warmup',
  [-35]: 'wallet-already-loaded',
  [-32600]: 'invalid-request',
  [-32601]: 'method-not-found',
  [-32602]: 'invalid-params',
  [-32700]: 'parse-error',
} as const;

export type RpcErrorKind = (typeof RPC_ERROR_KINDS)[keyof typeof RPC_ERROR_KINDS] | 'other';

export const RPC_IN_WARMUP = -28;
/** Core: "Requested wallet does not exist or is not loaded" (e.g. after a restart without load_on_startup). */
export const RPC_WALLET_NOT_FOUND = -18;

/** Bitcoin Core answered the call with a JSON-RPC error. */
export class BitcoinRpcError extends Error {
  override readonly name = 'BitcoinRpcError';
  readonly kind: RpcErrorKind;

  constructor(
    readonly method: string,
    readonly code: number,
    readonly rpcMessage: string,
  ) {
    super(`${method}: ${rpcMessage} (code ${code})`);
    this.kind = (RPC_ERROR_KINDS as Record<number, RpcErrorKind>)[code] ?? 'other';
  }
}

/** 401/403: wrong credentials, or the user is not whitelisted for the method. Core sends no body. */
export class BitcoinRpcAuthError extends Error {
  override readonly name = 'BitcoinRpcAuthError';

  constructor(
    readonly method: string,
    readonly status: number,
  ) {
    super(`${method}: Bitcoin Core refused the credentials (HTTP ${status})`);
  }
}

export type TransportFailure =
  /** No answer within timeoutMs. For a non-idempotent call the outcome is unknown: it may have executed. */
  | 'timeout'
  /** The connection could not be made or broke (refused, reset, DNS); the call may have executed only if it broke mid-way. */
  | 'connection'
  /** HTTP 503: Core's work queue is full; the call was not executed. */
  | 'busy'
  /** An answer that is not a JSON-RPC response (unexpected status, HTML, invalid JSON, wrong id, invalid result shape). */
  | 'bad-response';

/** The call did not get a usable JSON-RPC answer. */
export class BitcoinRpcTransportError extends Error {
  override readonly name = 'BitcoinRpcTransportError';

  constructor(
    readonly method: string,
    readonly failure: TransportFailure,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`${method}: ${message}`, options);
  }
}
