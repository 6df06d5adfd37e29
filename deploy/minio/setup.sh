#!/bin/sh
# The one-off minio-setup job (docker-compose.yml): the buckets, and one MinIO user per service that
# may read and write only its own buckets (policies/<service>.json). The services never see the root
# credentials. Safe to run again: buckets, users and policies are created or updated in place.
set -eu
mc alias set certhub http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
for bucket in scans thumbnails originals passbooks; do
  mc mb --ignore-existing "certhub/certhub-$bucket"
done
for service in certificates review rewards; do
  variable="CERTHUB_$(echo "$service" | tr 'a-z' 'A-Z')_S3_SECRET"
  eval "secret=\${$variable:?set $variable}"
  mc admin policy create certhub "certhub-$service" "/setup/policies/$service.json"
  mc admin user add certhub "certhub-$service" "$secret"
  mc admin policy attach certhub "certhub-$service" --user "certhub-$service" 2>/dev/null \
    || echo "policy certhub-$service already attached to certhub-$service"
done
