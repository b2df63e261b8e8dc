-- One status machine whatever the door (SPEC §7): /api/jobs and /slmgen/jobs check moves in the service,
-- /rest/v1/jobs goes straight to the table, so the table checks them too. The values are the seed's
-- vocabulary (the SLMGEN app knows created, processing, completed, failed; cancelled is ours). A job
-- whose notebook is ready is 'created' until its notebook reports training (docs/jobs.md).
-- NOT VALID: rows written before this change (e.g. on a hosted project) are not re-checked.
ALTER TABLE public.jobs DROP CONSTRAINT IF EXISTS jobs_status_check;
ALTER TABLE public.jobs ADD CONSTRAINT jobs_status_check
  CHECK (status IN ('created', 'processing', 'completed', 'failed', 'cancelled')) NOT VALID;

-- Users (anon, authenticated) create jobs as 'created' and move them only along the machine:
-- created → processing | cancelled, processing → completed | failed | cancelled. service_role (the
-- progress endpoint, after checking the job's secret) is not limited here: a notebook may report
-- 'completed' without any progress event before it.
CREATE OR REPLACE FUNCTION public.jobs_check_status_move()
RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF current_user NOT IN ('anon', 'authenticated') THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.status IS DISTINCT FROM 'created' THEN
      RAISE EXCEPTION 'a new job''s status is created, not %', coalesce(NEW.status, 'null')
        USING ERRCODE = '23514', HINT = 'leave status out: it defaults to created';
    END IF;
  ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
    -- coalesce: a NULL on either side is no legal move (and must not make the test NULL, i.e. pass)
    IF NOT coalesce((OLD.status = 'created' AND NEW.status IN ('processing', 'cancelled'))
                 OR (OLD.status = 'processing' AND NEW.status IN ('completed', 'failed', 'cancelled')), false) THEN
      RAISE EXCEPTION 'cannot change a job''s status from % to %', coalesce(OLD.status, 'null'), coalesce(NEW.status, 'null')
        USING ERRCODE = '23514', HINT = 'created → processing → completed | failed; cancelled from created or processing';
    END IF;
  END IF;
  RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS jobs_check_status_move ON public.jobs;
CREATE TRIGGER jobs_check_status_move
  BEFORE INSERT OR UPDATE OF status ON public.jobs
  FOR EACH ROW EXECUTE FUNCTION public.jobs_check_status_move();
