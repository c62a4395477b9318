#!/bin/sh
# One-shot, against the regtest bitcoind of docker-compose: creates the gateway's wallet (loaded on every later start
# through bitcoind's -wallet= and load_on_startup), loads it if it exists, and mines so that the node is out of initial
# block download: 101 blocks to the wallet on a new chain (mature coins to pay withdrawals), else one block whenever
# the tip is older than -maxtipage (24 h; e.g. after a day without blocks), which keeps bitcoind in IBD. Idempotent.
set -eu
cli() { bitcoin-cli -regtest -rpcconnect=bitcoind -rpcuser="$BITCOIN_RPC_USER" -rpcpassword="$BITCOIN_RPC_PASSWORD" "$@"; }
until cli getblockchaininfo >/dev/null 2>&1; do sleep 1; done
if ! cli listwallets | grep -q "\"$BITCOIN_RPC_WALLET\""; then
  cli -named createwallet wallet_name="$BITCOIN_RPC_WALLET" load_on_startup=true >/dev/null 2>&1 ||
    cli -named loadwallet filename="$BITCOIN_RPC_WALLET" load_on_startup=true >/dev/null
fi
address="$(cli -rpcwallet="$BITCOIN_RPC_WALLET" getnewaddress)"
if [ "$(cli getblockcount)" -lt 101 ]; then
  cli generatetoaddress 101 "$address" >/dev/null
elif cli getblockchaininfo | grep -q '"initialblockdownload": true'; then
  cli generatetoaddress 1 "$address" >/dev/null
fi
echo "wallet $BITCOIN_RPC_WALLET loaded at height $(cli getblockcount), initial block download over"
