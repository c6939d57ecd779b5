-- +goose Up
-- A control adopted from the reference control set keeps the id it came
-- from (REF-ACCESS-01); NULL for every other control. Unique per
-- organization, so one reference control is adopted at most once; NULLs
-- never collide.
ALTER TABLE controls ADD COLUMN reference_id TEXT;
CREATE UNIQUE INDEX controls_org_reference ON controls (org_id, reference_id);

-- A control register being imported: the parsed file (header and rows as
-- JSON) between the upload, the mapping and the commit, so that what is
-- committed is exactly what was checked on the server, whatever the browser
-- sends back. Keyed by a random id, scoped to the organization and the
-- person who uploaded it, removed on commit and ignored (then purged) an
-- hour after the upload.
CREATE TABLE control_imports (
    id         TEXT PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    actor      TEXT NOT NULL,
    file_name  TEXT NOT NULL,
    table_json TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX control_imports_org ON control_imports (org_id);
CREATE INDEX control_imports_expires ON control_imports (expires_at);

-- +goose Down
DROP TABLE control_imports;
DROP INDEX controls_org_reference;
ALTER TABLE controls DROP COLUMN reference_id;
