-- +goose Up
-- AI governance (ISO/IEC 42001 6.1.4, 8.4, Annex A A.4–A.10) and the one
-- supplier register of both standards. Refs per organization: SUP-001,
-- DS-001, AIS-001, AIA-001, AIT-001, MON-001. Dates a person gives are
-- YYYY-MM-DD text in the organization's time zone.

CREATE TABLE suppliers (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    seq            BIGINT NOT NULL,
    ref            TEXT NOT NULL,
    name           TEXT NOT NULL,
    services       TEXT NOT NULL DEFAULT '',
    provides_ai    BOOLEAN NOT NULL DEFAULT FALSE,
    ai_components  TEXT NOT NULL DEFAULT '',
    data_shared    TEXT NOT NULL DEFAULT '',
    criticality    TEXT NOT NULL,
    status         TEXT NOT NULL,
    owner          TEXT NOT NULL DEFAULT '',
    owner_fold     TEXT NOT NULL DEFAULT '',
    contact        TEXT NOT NULL DEFAULT '',
    contract_start TEXT NOT NULL DEFAULT '',
    contract_end   TEXT NOT NULL DEFAULT '',
    next_review    TEXT NOT NULL DEFAULT '',
    search_fold    TEXT NOT NULL DEFAULT '',
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, seq),
    UNIQUE (org_id, ref)
);
CREATE INDEX suppliers_org_review ON suppliers (org_id, next_review);

-- Assessments of a supplier, numbered per supplier; recorded once.
CREATE TABLE supplier_assessments (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    supplier_id BIGINT NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    assessed_on TEXT NOT NULL,
    result      TEXT NOT NULL,
    assessor    TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    evidence    TEXT NOT NULL DEFAULT '',
    next_review TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (supplier_id, number)
);
CREATE INDEX supplier_assessments_org ON supplier_assessments (org_id, supplier_id, assessed_on);

CREATE TABLE supplier_assets (
    supplier_id BIGINT NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
    org_id      BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    asset_id    BIGINT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    PRIMARY KEY (supplier_id, asset_id)
);
CREATE INDEX supplier_assets_asset ON supplier_assets (org_id, asset_id);
CREATE TABLE supplier_risks (
    supplier_id BIGINT NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
    org_id      BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    risk_id     BIGINT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
    PRIMARY KEY (supplier_id, risk_id)
);
CREATE INDEX supplier_risks_risk ON supplier_risks (org_id, risk_id);
CREATE TABLE supplier_controls (
    supplier_id BIGINT NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE,
    org_id      BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    control_id  BIGINT NOT NULL REFERENCES controls(id) ON DELETE CASCADE,
    PRIMARY KEY (supplier_id, control_id)
);
CREATE INDEX supplier_controls_control ON supplier_controls (org_id, control_id);

CREATE TABLE datasets (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id             BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    seq                BIGINT NOT NULL,
    ref                TEXT NOT NULL,
    name               TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    owner              TEXT NOT NULL DEFAULT '',
    owner_fold         TEXT NOT NULL DEFAULT '',
    source             TEXT NOT NULL DEFAULT '',
    provenance         TEXT NOT NULL DEFAULT '',
    collection_method  TEXT NOT NULL DEFAULT '',
    licence            TEXT NOT NULL DEFAULT '',
    personal_data      BOOLEAN NOT NULL DEFAULT FALSE,
    personal_details   TEXT NOT NULL DEFAULT '',
    quality_checks     TEXT NOT NULL DEFAULT '',
    quality            TEXT NOT NULL,
    quality_checked_on TEXT NOT NULL DEFAULT '',
    preparation        TEXT NOT NULL DEFAULT '',
    known_bias         TEXT NOT NULL DEFAULT '',
    retention          TEXT NOT NULL DEFAULT '',
    search_fold        TEXT NOT NULL DEFAULT '',
    version            BIGINT NOT NULL DEFAULT 1,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, seq),
    UNIQUE (org_id, ref)
);

-- The AI system inventory. monitoring_due is the next post-deployment
-- check: the latest monitoring record (or the deployment date) plus the
-- interval, kept in the transaction that changes any of them, so that
-- overdue checks are a SQL filter. affected_parties is a JSON array.
CREATE TABLE ai_systems (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id           BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    seq              BIGINT NOT NULL,
    ref              TEXT NOT NULL,
    name             TEXT NOT NULL,
    purpose          TEXT NOT NULL DEFAULT '',
    intended_use     TEXT NOT NULL DEFAULT '',
    misuse           TEXT NOT NULL DEFAULT '',
    owner            TEXT NOT NULL,
    owner_fold       TEXT NOT NULL,
    business_unit    TEXT NOT NULL DEFAULT '',
    stage            TEXT NOT NULL,
    role             TEXT NOT NULL,
    model_type       TEXT NOT NULL DEFAULT '',
    model_version    TEXT NOT NULL DEFAULT '',
    sourcing         TEXT NOT NULL,
    supplier_id      BIGINT REFERENCES suppliers(id) ON DELETE RESTRICT,
    autonomy         TEXT NOT NULL,
    oversight        TEXT NOT NULL DEFAULT '',
    users            TEXT NOT NULL DEFAULT '',
    affected_parties TEXT NOT NULL DEFAULT '[]',
    affected         TEXT NOT NULL DEFAULT '',
    eu_class         TEXT NOT NULL,
    eu_reason        TEXT NOT NULL DEFAULT '',
    deployed_on      TEXT NOT NULL DEFAULT '',
    monitoring_plan  TEXT NOT NULL DEFAULT '',
    monitoring_days  INTEGER NOT NULL DEFAULT 0,
    monitoring_due   TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    search_fold      TEXT NOT NULL DEFAULT '',
    version          BIGINT NOT NULL DEFAULT 1,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, seq),
    UNIQUE (org_id, ref)
);
CREATE INDEX ai_systems_org_stage ON ai_systems (org_id, stage);
CREATE INDEX ai_systems_org_class ON ai_systems (org_id, eu_class);
CREATE INDEX ai_systems_org_due ON ai_systems (org_id, monitoring_due);
CREATE INDEX ai_systems_supplier ON ai_systems (org_id, supplier_id);

CREATE TABLE ai_system_datasets (
    ai_system_id BIGINT NOT NULL REFERENCES ai_systems(id) ON DELETE CASCADE,
    org_id       BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    dataset_id   BIGINT NOT NULL REFERENCES datasets(id) ON DELETE RESTRICT,
    PRIMARY KEY (ai_system_id, dataset_id)
);
CREATE INDEX ai_system_datasets_dataset ON ai_system_datasets (org_id, dataset_id);

-- Change events: model version, datasets, purpose, life-cycle stage. An
-- approved impact assessment is stale once its system has an event after
-- the approval.
CREATE TABLE ai_system_events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    ai_system_id BIGINT NOT NULL REFERENCES ai_systems(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    from_value   TEXT NOT NULL DEFAULT '',
    to_value     TEXT NOT NULL DEFAULT '',
    at           TIMESTAMPTZ NOT NULL,
    actor        TEXT NOT NULL
);
CREATE INDEX ai_system_events_system ON ai_system_events (org_id, ai_system_id, at);

-- Impact assessments: one row per version (number) per system. status is
-- the stored state (draft, approved, superseded); stale is derived.
CREATE TABLE impact_assessments (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    seq            BIGINT NOT NULL,
    ref            TEXT NOT NULL,
    ai_system_id   BIGINT NOT NULL REFERENCES ai_systems(id) ON DELETE CASCADE,
    number         INTEGER NOT NULL,
    status         TEXT NOT NULL,
    individuals    TEXT NOT NULL DEFAULT '',
    groups_text    TEXT NOT NULL DEFAULT '',
    society        TEXT NOT NULL DEFAULT '',
    conclusion     TEXT NOT NULL DEFAULT '',
    residual       TEXT NOT NULL DEFAULT '',
    assessor       TEXT NOT NULL,
    reviewer       TEXT NOT NULL DEFAULT '',
    review_date    TEXT NOT NULL DEFAULT '',
    approved_by    TEXT NOT NULL DEFAULT '',
    approved_at    TIMESTAMPTZ,
    model_version  TEXT NOT NULL DEFAULT '',
    method_version INTEGER NOT NULL DEFAULT 0,
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, seq),
    UNIQUE (org_id, ref),
    UNIQUE (ai_system_id, number)
);
CREATE INDEX impact_assessments_system ON impact_assessments (org_id, ai_system_id, status);

-- The impacts of one assessment version, numbered from 1. risk_id is the
-- AI risk raised from the impact.
CREATE TABLE assessment_impacts (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id        BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    assessment_id BIGINT NOT NULL REFERENCES impact_assessments(id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    category      TEXT NOT NULL,
    description   TEXT NOT NULL,
    affected      TEXT NOT NULL DEFAULT '',
    severity      INTEGER NOT NULL,
    likelihood    INTEGER NOT NULL,
    mitigation    TEXT NOT NULL DEFAULT '',
    risk_id       BIGINT REFERENCES risks(id) ON DELETE SET NULL,
    UNIQUE (assessment_id, number)
);
CREATE INDEX assessment_impacts_risk ON assessment_impacts (org_id, risk_id);
CREATE TABLE impact_controls (
    impact_id  BIGINT NOT NULL REFERENCES assessment_impacts(id) ON DELETE CASCADE,
    org_id     BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    control_id BIGINT NOT NULL REFERENCES controls(id) ON DELETE CASCADE,
    PRIMARY KEY (impact_id, control_id)
);

-- The AI systems an AI risk concerns, as links (the risk's free-text
-- ai_systems field stays for systems not in the inventory).
CREATE TABLE risk_ai_systems (
    risk_id      BIGINT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
    org_id       BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    ai_system_id BIGINT NOT NULL REFERENCES ai_systems(id) ON DELETE CASCADE,
    PRIMARY KEY (risk_id, ai_system_id)
);
CREATE INDEX risk_ai_systems_system ON risk_ai_systems (org_id, ai_system_id);

-- Bias, fairness, performance and robustness test records.
CREATE TABLE ai_tests (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id        BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    seq           BIGINT NOT NULL,
    ref           TEXT NOT NULL,
    ai_system_id  BIGINT NOT NULL REFERENCES ai_systems(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    metric        TEXT NOT NULL,
    slice         TEXT NOT NULL DEFAULT '',
    comparator    TEXT NOT NULL,
    threshold     DOUBLE PRECISION NOT NULL,
    result        DOUBLE PRECISION NOT NULL,
    passed        BOOLEAN NOT NULL,
    tested_on     TEXT NOT NULL,
    model_version TEXT NOT NULL DEFAULT '',
    evidence      TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    recorded_by   TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, seq),
    UNIQUE (org_id, ref)
);
CREATE INDEX ai_tests_system ON ai_tests (org_id, ai_system_id, metric, slice, tested_on);

-- Post-deployment monitoring checks and human-oversight records.
CREATE TABLE ai_monitoring (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    seq          BIGINT NOT NULL,
    ref          TEXT NOT NULL,
    ai_system_id BIGINT NOT NULL REFERENCES ai_systems(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    checked_on   TEXT NOT NULL,
    performed_by TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    follow_up    TEXT NOT NULL DEFAULT '',
    evidence     TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, seq),
    UNIQUE (org_id, ref)
);
CREATE INDEX ai_monitoring_system ON ai_monitoring (org_id, ai_system_id, kind, checked_on);

-- +goose Down
DROP TABLE ai_monitoring;
DROP TABLE ai_tests;
DROP TABLE risk_ai_systems;
DROP TABLE impact_controls;
DROP TABLE assessment_impacts;
DROP TABLE impact_assessments;
DROP TABLE ai_system_events;
DROP TABLE ai_system_datasets;
DROP TABLE ai_systems;
DROP TABLE datasets;
DROP TABLE supplier_controls;
DROP TABLE supplier_risks;
DROP TABLE supplier_assets;
DROP TABLE supplier_assessments;
DROP TABLE suppliers;
