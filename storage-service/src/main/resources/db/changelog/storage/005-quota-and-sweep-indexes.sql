-- Indexes for two lookups of ours (local databases only; hosted Supabase owns storage.objects' indexes):
-- * the per-user quota sums the sizes of one owner's objects (STORAGE_USER_QUOTA), per upload;
-- * the staging sweep asks whether a staged version has a committed row.
CREATE INDEX IF NOT EXISTS slmgen_objects_owner ON storage.objects (owner);
CREATE INDEX IF NOT EXISTS slmgen_objects_version ON storage.objects (version);
