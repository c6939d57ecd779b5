-- +goose Up
-- The accepted level and the expiry of a risk's acceptance as columns, so
-- that whether an acceptance still covers the residual level (not expired,
-- level at or above the residual one) is decided in SQL: the registers and
-- the dashboard count the risks waiting for an acceptance exactly.
ALTER TABLE risks ADD COLUMN acceptance_level TEXT NOT NULL DEFAULT '';
ALTER TABLE risks ADD COLUMN acceptance_expires TEXT NOT NULL DEFAULT '';
-- An acceptance recorded before levels were kept with it accepted the
-- residual level as it stood, which those records do not name; the level
-- the risk has now stands in for it.
UPDATE risks SET acceptance = jsonb_set(acceptance::jsonb, '{level}', to_jsonb(residual_level))::text
    WHERE acceptance <> '' AND COALESCE(acceptance::jsonb->>'level', '') = '';
UPDATE risks SET acceptance_level = acceptance::jsonb->>'level',
    acceptance_expires = COALESCE(acceptance::jsonb->>'expires', '')
    WHERE acceptance <> '';
CREATE INDEX risks_org_residual ON risks (org_id, register, residual_level);

-- +goose Down
DROP INDEX risks_org_residual;
ALTER TABLE risks DROP COLUMN acceptance_expires;
ALTER TABLE risks DROP COLUMN acceptance_level;
