#!/bin/sh
# One-shot, against the regtest bitcoind of docker-compose: creates (or loads) the gateway's wallet and, on a new
# chain, mines 101 blocks to it so that it can pay withdrawals. Idempotent.
set -eu
cli() { bitcoin-cli -regtest -rpcconnect=bitcoind -rpcuser="$BITCOIN_RPC_USER" -rpcpassword="$BITCOIN_RPC_PASSWORD" "$@"; }
until cli getblockchaininfo >/dev/null 2>&1; do sleep 1; done
cli createwallet "$BITCOIN_RPC_WALLET" >/dev/null 2>&1 || cli loadwallet "$BITCOIN_RPC_WALLET" >/dev/null 2>&1 || true
if [ "$(cli getblockcount)" -lt 101 ]; then
  cli generatetoaddress 101 "$(cli -rpcwallet="$BITCOIN_RPC_WALLET" getnewaddress)" >/dev/null
fi
echo "wallet $BITCOIN_RPC_WALLET ready at height $(cli getblockcount)"
