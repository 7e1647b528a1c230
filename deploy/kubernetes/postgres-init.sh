#!/bin/sh
# Runs once, when PostgreSQL's data volume is first initialised (the official image runs what is in
# /docker-entrypoint-initdb.d as its superuser). The service gets a login role that is no superuser
# and owns the switchboard database, so its migrations own the schema and nothing more.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v app_user="$SWITCHBOARD_DB_USER" -v app_password="$SWITCHBOARD_DB_PASSWORD" <<'SQL'
CREATE ROLE :"app_user" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE DATABASE switchboard OWNER :"app_user";
SQL
