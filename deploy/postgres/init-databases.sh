#!/usr/bin/env bash
# CertHub: one database per service, each with two roles of its own (README "Least privilege"):
#   <prefix>_<service>_owner  owns the database, its schema and every object the migrations create;
#                             only the <service>-migrate job signs in as it.
#   <prefix>_<service>        what the service signs in as: CONNECT to its own database only, SELECT/
#                             INSERT/UPDATE/DELETE on the tables the owner creates, and on audit_log
#                             INSERT and SELECT only (certhub_kit.migrate revokes the rest after each
#                             migration); it owns nothing, so it cannot disable, drop or replace the
#                             audit trigger, nor TRUNCATE.
# Run once by the postgres image on an empty data volume (/docker-entrypoint-initdb.d runs *.sh with the
# container's environment; a *.sql file would not see the passwords). Passwords come from the
# environment, each required: CERTHUB_<SERVICE>_DB_PASSWORD and CERTHUB_<SERVICE>_DB_OWNER_PASSWORD.
# CERTHUB_DB_PREFIX (default certhub) names databases and roles; the tests use their own.
set -euo pipefail

prefix=${CERTHUB_DB_PREFIX:-certhub}
admin=(psql -v ON_ERROR_STOP=1 -X -q --username "${POSTGRES_USER:-postgres}")

for service in certificates review rewards notify credentials; do
  upper=${service^^}
  app_password_var="CERTHUB_${upper}_DB_PASSWORD"
  owner_password_var="CERTHUB_${upper}_DB_OWNER_PASSWORD"
  app_password=${!app_password_var:?set $app_password_var}
  owner_password=${!owner_password_var:?set $owner_password_var}
  db="${prefix}_${service}"
  "${admin[@]}" --dbname postgres -v db="$db" -v owner="${db}_owner" -v app="$db" \
      -v owner_password="$owner_password" -v app_password="$app_password" <<'SQL'
CREATE ROLE :"owner" LOGIN PASSWORD :'owner_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE ROLE :"app" LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE :"db" OWNER :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";
SQL
  "${admin[@]}" --dbname "$db" -v owner="${db}_owner" -v app="$db" <<'SQL'
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app";
SQL
done
# Keycloak's own database and role (docker-compose runs Keycloak in production mode on it).
if [[ -n ${KEYCLOAK_DB_PASSWORD:-} ]]; then
  "${admin[@]}" --dbname postgres -v password="$KEYCLOAK_DB_PASSWORD" <<'SQL'
CREATE ROLE keycloak LOGIN PASSWORD :'password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE keycloak OWNER keycloak;
REVOKE ALL ON DATABASE keycloak FROM PUBLIC;
SQL
fi
# pg_trgm (catalog search) is created by the superuser, so the owner needs no extension rights.
"${admin[@]}" --dbname "${prefix}_certificates" -c "CREATE EXTENSION IF NOT EXISTS pg_trgm"

