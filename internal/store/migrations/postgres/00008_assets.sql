-- +goose Up
-- The information asset inventory: refs AST-001 per organization, C/I/A
-- values 1 (low) to 3 (high), links to the organization's controls.
CREATE TABLE assets (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id          BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    seq             BIGINT NOT NULL,
    ref             TEXT NOT NULL,
    name            TEXT NOT NULL,
    type            TEXT NOT NULL,
    owner           TEXT NOT NULL DEFAULT '',
    location        TEXT NOT NULL DEFAULT '',
    classification  TEXT NOT NULL,
    confidentiality INTEGER NOT NULL CHECK (confidentiality BETWEEN 1 AND 3),
    integrity       INTEGER NOT NULL CHECK (integrity BETWEEN 1 AND 3),
    availability    INTEGER NOT NULL CHECK (availability BETWEEN 1 AND 3),
    description     TEXT NOT NULL DEFAULT '',
    owner_fold      TEXT NOT NULL DEFAULT '',
    search_fold     TEXT NOT NULL DEFAULT '',
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, seq),
    UNIQUE (org_id, ref)
);
CREATE INDEX assets_org_type ON assets (org_id, type);
CREATE INDEX assets_org_class ON assets (org_id, classification);
CREATE INDEX assets_org_owner ON assets (org_id, owner_fold);

CREATE TABLE asset_controls (
    asset_id   BIGINT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    org_id     BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    control_id BIGINT NOT NULL REFERENCES controls(id) ON DELETE CASCADE,
    PRIMARY KEY (asset_id, control_id)
);
CREATE INDEX asset_controls_control ON asset_controls (org_id, control_id);

-- +goose Down
DROP TABLE asset_controls;
DROP TABLE assets;
