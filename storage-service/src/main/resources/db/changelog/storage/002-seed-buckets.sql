-- The seed's three buckets (supabase/schema.sql), with the size limits and MIME types SLMGEN needs.
INSERT INTO storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
VALUES
  ('datasets', 'datasets', FALSE, 1073741824,
   ARRAY['application/x-ndjson', 'application/jsonl', 'application/json', 'text/plain', 'application/octet-stream']),
  ('notebooks', 'notebooks', FALSE, 52428800,
   ARRAY['application/x-ipynb+json', 'application/json']),
  ('avatars', 'avatars', TRUE, 5242880,
   ARRAY['image/png', 'image/jpeg', 'image/gif', 'image/webp'])
ON CONFLICT (id) DO NOTHING;
