-- An upload being recorded (SPEC §14): the marker names the object an upload is about to store and is
-- written before the first byte goes to storage; the transaction that inserts the dataset row deletes
-- it. A marker that outlives datasets.creation-timeout means the service died (or gave up) between
-- storing the object and committing the row: datasets-service's sweeper, as service_role, deletes the
-- object and then the marker, holding the marker's row lock meanwhile, so an upload that finishes late
-- finds its marker gone and undoes itself instead of recording a row whose object was removed.
-- Objects stored straight through /storage/v1 never have a marker and are never touched.
CREATE TABLE IF NOT EXISTS public.dataset_creations (
  storage_path TEXT PRIMARY KEY,
  user_id UUID NOT NULL,
  started_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX IF NOT EXISTS idx_dataset_creations_started ON public.dataset_creations(started_at);

-- server bookkeeping only: no policy, so neither anon nor authenticated can see or write a marker
ALTER TABLE public.dataset_creations ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON public.dataset_creations FROM PUBLIC, anon, authenticated;
-- UPDATE only because SELECT … FOR UPDATE (the sweep's lock) requires it
GRANT SELECT, INSERT, UPDATE, DELETE ON public.dataset_creations TO service_role;
