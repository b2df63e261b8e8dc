-- Rows a client writes through /rest/v1 (issue 15, SPEC §6, §14): users write the seed's columns and
-- nothing else; every column this suite added is written by datasets-service as service_role, so
-- nothing that decides resources or access reads a value a client chose.

-- 1. The seed's way of recording a dataset (an insert with the seed's columns only) must work: the
--    columns the seed does not have get defaults. A client row gets its own session id and job id.
ALTER TABLE public.datasets
  ALTER COLUMN session_id SET DEFAULT gen_random_uuid()::text,
  ALTER COLUMN allocated_job_id SET DEFAULT gen_random_uuid();

-- 2. SLMGEN's duplicate listing (/slmgen/preview/{sid}/duplicates), found by the analyser during the
--    upload and stored, so a request never rebuilds it: the number of copies (SPEC §8.3's dupes) and
--    the first 20 indices of copies, groups in order of first occurrence. NULL for rows the service
--    did not analyse (it then computes the listing once from the object and stores it).
ALTER TABLE public.datasets
  ADD COLUMN IF NOT EXISTS duplicate_count INTEGER,
  ADD COLUMN IF NOT EXISTS duplicate_examples JSONB
    CONSTRAINT datasets_duplicate_examples_bounded CHECK (duplicate_examples IS NULL OR
      (jsonb_typeof(duplicate_examples) = 'array' AND jsonb_array_length(duplicate_examples) <= 20));

-- 3. Column privileges: authenticated may insert the seed's columns only (naming any other column is
--    refused, 42501 → PostgREST's 403); no UPDATE (as before: the seed has no UPDATE policy). SELECT
--    stays on every column, which `Prefer: return=representation` needs.
REVOKE INSERT, UPDATE ON public.datasets FROM anon, authenticated;
GRANT INSERT (id, user_id, job_id, filename, storage_path, file_size, total_examples, total_tokens,
              avg_tokens_per_example, quality_score, single_turn_pct, multi_turn_pct, has_system_prompts,
              quality_issues, is_multilingual, looks_like_json, is_multi_turn, created_at)
  ON public.datasets TO authenticated;

-- 4. What a user may put in the seed's columns that others rely on: the object must lie in the
--    user's own folder (as the storage policies require, so the path names nothing of anyone else's),
--    the job must be the user's own, the size not negative. service_role (datasets-service's own
--    writes) and the table's owner are trusted. Invoker's rights: the jobs lookup runs under RLS.
CREATE OR REPLACE FUNCTION public.datasets_check_client_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_user NOT IN ('anon', 'authenticated') THEN
    RETURN NEW;
  END IF;
  IF NEW.storage_path IS NULL OR length(NEW.storage_path) > 1024
     OR split_part(NEW.storage_path, '/', 1) <> NEW.user_id::text
     OR NEW.storage_path !~ '^[^/]+(/[^/]+)+$'
     OR NEW.storage_path ~ '(^|/)\.\.?(/|$)'
     OR NEW.storage_path ~ '[[:cntrl:]]' THEN
    RAISE EXCEPTION 'storage_path must name an object in your own folder: % followed by the file''s path', NEW.user_id
      USING ERRCODE = 'check_violation', HINT = 'e.g. ' || NEW.user_id || '/my-dataset.jsonl';
  END IF;
  IF NEW.file_size < 0 THEN
    RAISE EXCEPTION 'file_size must not be negative' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.job_id IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM public.jobs j WHERE j.id = NEW.job_id AND j.user_id = NEW.user_id) THEN
    RAISE EXCEPTION 'job_id must be one of your own jobs' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS datasets_check_client_row ON public.datasets;
CREATE TRIGGER datasets_check_client_row BEFORE INSERT ON public.datasets
  FOR EACH ROW EXECUTE FUNCTION public.datasets_check_client_row();

-- 5. Whether a session's owner is an anonymous user is decided by auth.users, never by a row: the
--    SLMGEN session rule lets a caller without a token act as an anonymous owner (SPEC §15). Owner's
--    rights, because service_role cannot read auth.users on hosted Supabase; only service_role may call it.
CREATE OR REPLACE FUNCTION public.datasets_owner_is_anonymous(owner uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
  SELECT coalesce((SELECT u.is_anonymous FROM auth.users u WHERE u.id = owner), false)
$$;
REVOKE ALL ON FUNCTION public.datasets_owner_is_anonymous(uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.datasets_owner_is_anonymous(uuid) TO service_role;

-- rows written before these rules that claim an anonymous owner the user table does not confirm
UPDATE public.datasets SET owner_is_anonymous = false
  WHERE owner_is_anonymous AND (expires_at IS NULL OR NOT public.datasets_owner_is_anonymous(user_id));
