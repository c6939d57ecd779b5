-- +goose Up
-- The trail is browsed newest first (ORDER BY seq DESC) and filtered by
-- actor, action, record or period. The actor, action and record indexes
-- end in seq, so they also serve that order: a page stays cheap however
-- long the trail grows. The actor and action indexes also let the filter
-- choices skip from one distinct value to the next. A period is found
-- through at; only the entries in it are then sorted.
CREATE INDEX trail_entries_actor ON trail_entries (org_id, actor, seq);
CREATE INDEX trail_entries_action ON trail_entries (org_id, action, seq);
CREATE INDEX trail_entries_at ON trail_entries (org_id, at);
-- The record index gains seq for the same reason (a control's history).
DROP INDEX trail_entries_resource;
CREATE INDEX trail_entries_resource ON trail_entries (org_id, resource_type, resource_ref, seq);

-- +goose Down
DROP INDEX trail_entries_resource;
CREATE INDEX trail_entries_resource ON trail_entries (org_id, resource_type, resource_ref);
DROP INDEX trail_entries_at;
DROP INDEX trail_entries_action;
DROP INDEX trail_entries_actor;
