-- +goose Up
-- Versions of an organization's risk method: every change inserts the next
-- version; no row means the default method (version 0) is in force.
-- method_json holds scales, levels, matrix and appetite.
CREATE TABLE risk_methods (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    method_json TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    created_by  TEXT NOT NULL,
    UNIQUE (org_id, version)
);

-- The two risk registers. Each score keeps the method version it was
-- given under and the level that version derives (so that lists filter
-- and heat maps count in SQL). List-valued fields are JSON arrays.
CREATE TABLE risks (
    id                  INTEGER PRIMARY KEY,
    org_id              INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    seq                 INTEGER NOT NULL,
    ref                 TEXT NOT NULL,
    register            TEXT NOT NULL,
    title               TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    owner               TEXT NOT NULL,
    owner_fold          TEXT NOT NULL,
    inherent_likelihood INTEGER NOT NULL,
    inherent_impact     INTEGER NOT NULL,
    inherent_level      TEXT NOT NULL,
    inherent_method     INTEGER NOT NULL,
    residual_likelihood INTEGER NOT NULL,
    residual_impact     INTEGER NOT NULL,
    residual_level      TEXT NOT NULL,
    residual_method     INTEGER NOT NULL,
    treatment           TEXT NOT NULL,
    controls            TEXT NOT NULL DEFAULT '[]',
    status              TEXT NOT NULL,
    next_review         TEXT NOT NULL DEFAULT '',
    details             TEXT NOT NULL DEFAULT '{}',
    acceptance          TEXT NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    UNIQUE (org_id, ref),
    UNIQUE (org_id, seq)
);
CREATE INDEX risks_org_register ON risks (org_id, register, seq);

-- +goose Down
DROP TABLE risks;
DROP TABLE risk_methods;
