-- The audit log is append-only. This trigger refuses UPDATE, DELETE and TRUNCATE whoever runs them,
-- so neither a bug nor an injected statement can rewrite history; the hash chain
-- (`trillium audit verify`) detects anything done around it, e.g. by a database owner.
CREATE FUNCTION kernel.audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'kernel.audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON kernel.audit_log
  FOR EACH ROW EXECUTE FUNCTION kernel.audit_log_is_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON kernel.audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION kernel.audit_log_is_append_only();
--> statement-breakpoint
-- Privileges too: the application role (even when it owns the table) may only read and append.
REVOKE UPDATE, DELETE, TRUNCATE ON kernel.audit_log FROM PUBLIC;
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON kernel.audit_log FROM CURRENT_USER;
