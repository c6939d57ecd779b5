-- +goose Up
-- What a write did beyond the record itself, as JSON: for a change to a
-- control, its impact on each standard (requirements, SoA rows,
-- readiness). Empty for most entries; it is part of the entry's hash only
-- when present, so earlier entries keep their hashes.
ALTER TABLE trail_entries ADD COLUMN detail_json TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE trail_entries DROP COLUMN detail_json;
