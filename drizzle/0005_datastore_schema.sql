-- Tabular resources loaded into the datastore get one table each in this schema.
CREATE SCHEMA IF NOT EXISTS datastore;
--> statement-breakpoint
-- `datastore_search_sql` runs people's SELECT statements as this role, which can read datastore
-- tables and nothing else (roles are per cluster, hence the existence check).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'trillium_datastore_reader') THEN
    CREATE ROLE trillium_datastore_reader NOLOGIN;
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA datastore TO trillium_datastore_reader;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA datastore GRANT SELECT ON TABLES TO trillium_datastore_reader;
--> statement-breakpoint
GRANT trillium_datastore_reader TO CURRENT_USER;
