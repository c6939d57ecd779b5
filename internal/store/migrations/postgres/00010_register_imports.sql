-- +goose Up
-- Uploads waiting for their commit now serve three kinds of register: the
-- control register, a risk register (risks:security or risks:ai, the
-- register chosen for the whole file) and the asset inventory. The kind is
-- kept with the upload, so a commit imports a file only as what it was
-- uploaded and checked for.
ALTER TABLE control_imports ADD COLUMN kind TEXT NOT NULL DEFAULT 'controls';

-- +goose Down
ALTER TABLE control_imports DROP COLUMN kind;
