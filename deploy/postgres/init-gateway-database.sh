#!/bin/sh
# Runs once, when the PostgreSQL volume is new: bitcoin-gateway's own role and database (bitro-api never gets
# these credentials, nor the gateway bitro-api's).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v gateway_password="$GATEWAY_DB_PASSWORD" <<'SQL'
CREATE ROLE gateway LOGIN PASSWORD :'gateway_password';
CREATE DATABASE bitro_gateway OWNER gateway;
REVOKE ALL ON DATABASE bitro_gateway FROM PUBLIC;
REVOKE ALL ON DATABASE bitro FROM PUBLIC;
SQL
