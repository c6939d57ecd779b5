-- +goose Up
-- One applicability decision per Annex A control of a standard. standard
-- is the first part of requirement_key, kept so that reading one SoA is a
-- plain indexed condition. reasons is a JSON array of reason codes.
CREATE TABLE soa_decisions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id          BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    requirement_key TEXT NOT NULL,
    standard        TEXT NOT NULL,
    applicable      BOOLEAN NOT NULL,
    justification   TEXT NOT NULL,
    reasons         TEXT NOT NULL DEFAULT '[]',
    version         BIGINT NOT NULL DEFAULT 1,
    decided_at      TIMESTAMPTZ NOT NULL,
    decided_by      TEXT NOT NULL,
    UNIQUE (org_id, requirement_key)
);
CREATE INDEX soa_decisions_org_standard ON soa_decisions (org_id, standard);

-- Issued Statements of Applicability: frozen, numbered per standard. rows_json
-- is the whole derived SoA at issue (JSON array of rows); summary_json its
-- counts, so that the list of versions does not read every snapshot.
CREATE TABLE soa_versions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    standard     TEXT NOT NULL,
    number       BIGINT NOT NULL,
    issued_at    TIMESTAMPTZ NOT NULL,
    approver     TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    summary_json TEXT NOT NULL,
    rows_json    TEXT NOT NULL,
    UNIQUE (org_id, standard, number)
);

-- +goose Down
DROP TABLE soa_versions;
DROP TABLE soa_decisions;
