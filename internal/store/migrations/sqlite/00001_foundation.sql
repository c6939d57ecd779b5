-- +goose Up
CREATE TABLE orgs (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    time_zone  TEXT NOT NULL DEFAULT 'UTC',
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Per-organization counters behind the stable human refs (CTL-001 ...).
CREATE TABLE ref_counters (
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    prefix TEXT NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (org_id, prefix)
);

CREATE TABLE controls (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    ref         TEXT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    owner       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL,
    -- Lowercased in Go (full Unicode, the same on both engines) for the
    -- owner filter and the text search.
    owner_fold  TEXT NOT NULL DEFAULT '',
    search_fold TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (org_id, seq),
    UNIQUE (org_id, ref)
);
CREATE INDEX controls_org_status ON controls (org_id, status);

-- standard is the first part of requirement_key, kept so that scope and
-- standard filters stay plain indexed SQL.
CREATE TABLE control_requirements (
    control_id      INTEGER NOT NULL REFERENCES controls(id) ON DELETE CASCADE,
    org_id          INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    requirement_key TEXT NOT NULL,
    standard        TEXT NOT NULL,
    PRIMARY KEY (control_id, requirement_key)
);
CREATE INDEX control_requirements_org_key ON control_requirements (org_id, requirement_key);
CREATE INDEX control_requirements_control_standard ON control_requirements (control_id, standard);

-- The head of each trail chain; updating it serializes appends so that the
-- chain never forks. Each organization has a chain; org_id 0 is the chain
-- of the instance itself (users, organizations' creation).
CREATE TABLE trail_heads (
    org_id INTEGER PRIMARY KEY,
    seq    INTEGER NOT NULL,
    hash   TEXT NOT NULL
);

CREATE TABLE trail_entries (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    at            TIMESTAMP NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_ref  TEXT NOT NULL,
    before_json   TEXT NOT NULL,
    after_json    TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL,
    UNIQUE (org_id, seq)
);
CREATE INDEX trail_entries_resource ON trail_entries (org_id, resource_type, resource_ref);

-- +goose Down
DROP TABLE trail_entries;
DROP TABLE trail_heads;
DROP TABLE control_requirements;
DROP TABLE controls;
DROP TABLE ref_counters;
DROP TABLE orgs;
