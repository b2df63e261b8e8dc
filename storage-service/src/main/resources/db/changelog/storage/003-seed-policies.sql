-- Every storage policy of the seed (supabase/schema.sql), verbatim.
-- Storage policies for datasets
CREATE POLICY "Users can upload own datasets" ON storage.objects
  FOR INSERT WITH CHECK (
    bucket_id = 'datasets' AND
    auth.uid()::text = (storage.foldername(name))[1]
  );

CREATE POLICY "Users can view own datasets" ON storage.objects
  FOR SELECT USING (
    bucket_id = 'datasets' AND
    auth.uid()::text = (storage.foldername(name))[1]
  );

CREATE POLICY "Users can delete own datasets" ON storage.objects
  FOR DELETE USING (
    bucket_id = 'datasets' AND
    auth.uid()::text = (storage.foldername(name))[1]
  );

-- Storage policies for notebooks
CREATE POLICY "Users can upload own notebooks" ON storage.objects
  FOR INSERT WITH CHECK (
    bucket_id = 'notebooks' AND
    auth.uid()::text = (storage.foldername(name))[1]
  );

CREATE POLICY "Users can view own notebooks" ON storage.objects
  FOR SELECT USING (
    bucket_id = 'notebooks' AND
    auth.uid()::text = (storage.foldername(name))[1]
  );

-- Storage policies for avatars
CREATE POLICY "Anyone can view avatars" ON storage.objects
  FOR SELECT USING (bucket_id = 'avatars');

CREATE POLICY "Users can upload avatars" ON storage.objects
  FOR INSERT WITH CHECK (
    bucket_id = 'avatars' AND
    auth.role() = 'authenticated'
  );
