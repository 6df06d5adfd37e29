-- CertHub: one database per service (SPEC §7). Run once by the postgres image
-- on an empty data volume (/docker-entrypoint-initdb.d). The databases belong
-- to POSTGRES_USER, the role the entrypoint creates and runs this script as;
-- each service's `migrate` job creates its tables.
CREATE DATABASE certhub_certificates;
CREATE DATABASE certhub_review;
CREATE DATABASE certhub_rewards;
CREATE DATABASE certhub_notify;
CREATE DATABASE certhub_credentials;
