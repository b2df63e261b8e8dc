-- OURS, additive (not in the seed): what SLMGEN's own flows need beyond the seed's policies.
-- * jobs-service deletes a job's notebooks: delete in the owner's own notebooks folder.
-- * x-upsert (INSERT ... ON CONFLICT DO UPDATE) needs an UPDATE policy: update in the owner's own
--   folder of datasets, notebooks and avatars. Moves are a delete + insert, so need no UPDATE.
CREATE POLICY "slmgen: users can delete own notebooks" ON storage.objects
  FOR DELETE USING (
    bucket_id = 'notebooks' AND
    auth.uid()::text = (storage.foldername(name))[1]
  );

CREATE POLICY "slmgen: users can update own datasets" ON storage.objects
  FOR UPDATE USING (
    bucket_id = 'datasets' AND
    auth.uid()::text = (storage.foldername(name))[1]
  ) WITH CHECK (
    bucket_id = 'datasets' AND
    auth.uid()::text = (storage.foldername(name))[1]
  );

CREATE POLICY "slmgen: users can update own notebooks" ON storage.objects
  FOR UPDATE USING (
    bucket_id = 'notebooks' AND
    auth.uid()::text = (storage.foldername(name))[1]
  ) WITH CHECK (
    bucket_id = 'notebooks' AND
    auth.uid()::text = (storage.foldername(name))[1]
  );

CREATE POLICY "slmgen: users can update own avatars" ON storage.objects
  FOR UPDATE USING (
    bucket_id = 'avatars' AND
    auth.uid()::text = (storage.foldername(name))[1]
  ) WITH CHECK (
    bucket_id = 'avatars' AND
    auth.uid()::text = (storage.foldername(name))[1]
  );
