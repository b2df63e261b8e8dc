-- SLMGEN v1 sessions (SPEC §15): who owns the session (an anonymous user created for it, reachable by
-- its id without a token until it expires) and what the last recommendation selected. Written only by
-- datasets-service (upload as the user; the selection as service_role after an RLS read).
ALTER TABLE public.datasets
  ADD COLUMN IF NOT EXISTS owner_is_anonymous BOOLEAN NOT NULL DEFAULT FALSE,
  ADD COLUMN IF NOT EXISTS expires_at TIMESTAMPTZ,
  ADD COLUMN IF NOT EXISTS selected_task TEXT,
  ADD COLUMN IF NOT EXISTS selected_target TEXT,
  ADD COLUMN IF NOT EXISTS selected_model_id TEXT,
  ADD COLUMN IF NOT EXISTS last_scores JSONB;
