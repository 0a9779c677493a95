-- isp_radius: prepare a FreeRADIUS PostgreSQL database for Odoo, run once by its owner.
--
-- For when Odoo's database user must not own radacct: the owner of the FreeRADIUS
-- tables (or a superuser) runs
--
--     psql -v odoo_role=odoo_radius -f radius_database.sql radius
--
-- (odoo_radius: the user set on the RADIUS database record in Odoo; radius: the
-- database). It installs what Prepare Database would install (the change tracking
-- of radacct: a column, two indexes, a trigger; a one-time rewrite of radacct) and
-- grants Odoo's user what it uses, nothing more. Prepare Database then only writes
-- the groups and NAS rows. Running the script again changes nothing.

BEGIN;

-- The change tracking of radacct (the same statements as TRACKING_DDL in
-- isp_radius/models/isp_radius_server.py).
ALTER TABLE radacct ADD COLUMN IF NOT EXISTS isp_changed_at timestamptz NOT NULL DEFAULT clock_timestamp();
CREATE INDEX IF NOT EXISTS radacct_isp_changed_idx ON radacct (isp_changed_at, radacctid);
CREATE INDEX IF NOT EXISTS radacct_isp_open_user_idx ON radacct (username) WHERE acctstoptime IS NULL;
CREATE OR REPLACE FUNCTION isp_radacct_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.isp_changed_at := clock_timestamp();
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS isp_radacct_touch ON radacct;
CREATE TRIGGER isp_radacct_touch BEFORE UPDATE ON radacct FOR EACH ROW EXECUTE FUNCTION isp_radacct_touch();

-- Users, groups and NAS rows: Odoo writes them (it never updates a row, it deletes
-- and inserts).
GRANT SELECT, INSERT, DELETE ON radcheck, radreply, radusergroup, radgroupcheck, radgroupreply, nas
    TO :"odoo_role";
GRANT USAGE ON SEQUENCE radcheck_id_seq, radreply_id_seq, radusergroup_id_seq, radgroupcheck_id_seq,
    radgroupreply_id_seq, nas_id_seq TO :"odoo_role";
-- Accounting: Odoo only reads it.
GRANT SELECT ON radacct TO :"odoo_role";
-- Lets Test Connection check that radpostauth stores no password (optional).
GRANT SELECT ON radpostauth TO :"odoo_role";
-- The daily drift repair uses temporary tables: PostgreSQL grants TEMPORARY on a
-- database to everyone unless it was revoked; if it was:
--     GRANT TEMPORARY ON DATABASE radius TO odoo_radius;

COMMIT;
