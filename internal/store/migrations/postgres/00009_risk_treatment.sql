-- +goose Up
-- A risk's treatment plan as rows, so that the way from a risk to its
-- controls, and on to the Annex A controls and SoA rows they implement, is
-- a join: risk_controls replaces the controls JSON column of risks.
CREATE TABLE risk_controls (
    risk_id    BIGINT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
    org_id     BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    control_id BIGINT NOT NULL REFERENCES controls(id) ON DELETE CASCADE,
    PRIMARY KEY (risk_id, control_id)
);
CREATE INDEX risk_controls_control ON risk_controls (org_id, control_id);
INSERT INTO risk_controls (risk_id, org_id, control_id)
    SELECT DISTINCT r.id, r.org_id, c.id FROM risks r CROSS JOIN LATERAL jsonb_array_elements_text(r.controls::jsonb) AS j(value)
    JOIN controls c ON c.org_id = r.org_id AND c.ref = j.value;
ALTER TABLE risks DROP COLUMN controls;

-- The information assets a security risk concerns.
CREATE TABLE risk_assets (
    risk_id  BIGINT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
    org_id   BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    asset_id BIGINT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    PRIMARY KEY (risk_id, asset_id)
);
CREATE INDEX risk_assets_asset ON risk_assets (org_id, asset_id);

-- Actions: tasks with an owner and a due date (ACT-001 per organization).
-- risk_id names the risk whose treatment plan holds the action.
CREATE TABLE actions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id     BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    seq        BIGINT NOT NULL,
    ref        TEXT NOT NULL,
    risk_id    BIGINT REFERENCES risks(id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    owner      TEXT NOT NULL,
    owner_fold TEXT NOT NULL,
    due        TEXT NOT NULL,
    status     TEXT NOT NULL,
    notes      TEXT NOT NULL DEFAULT '',
    version    BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, seq),
    UNIQUE (org_id, ref)
);
CREATE INDEX actions_org_risk ON actions (org_id, risk_id);
CREATE INDEX actions_org_due ON actions (org_id, status, due);
CREATE INDEX risks_org_review ON risks (org_id, next_review);
-- What the register's text filter searches: ref, title and description.
ALTER TABLE risks ADD COLUMN search_fold TEXT NOT NULL DEFAULT '';
UPDATE risks SET search_fold = lower(ref || ' ' || title || ' ' || description);

-- +goose Down
ALTER TABLE risks DROP COLUMN search_fold;
DROP INDEX risks_org_review;
DROP TABLE actions;
DROP TABLE risk_assets;
ALTER TABLE risks ADD COLUMN controls TEXT NOT NULL DEFAULT '[]';
UPDATE risks SET controls = COALESCE((SELECT json_agg(c.ref)::text FROM risk_controls rc
    JOIN controls c ON c.id = rc.control_id WHERE rc.risk_id = risks.id), '[]');
DROP TABLE risk_controls;
