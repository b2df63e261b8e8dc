-- Live events across replicas (SPEC §7): every stored event is announced on the channel
-- slmgen_job_events by a trigger, so the NOTIFY is part of the inserting transaction and is delivered
-- to every listening jobs-service replica at commit, never before (and never for a rolled-back
-- insert). The payload is small - the job and the event's id and seq - and only a hint: a listener
-- reads the rows after the last seq it delivered, so coalesced or lost notifications lose nothing.
CREATE OR REPLACE FUNCTION public.job_events_notify()
RETURNS TRIGGER
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  PERFORM pg_notify('slmgen_job_events',
    json_build_object('job_id', NEW.job_id, 'id', NEW.id, 'seq', NEW.seq)::text);
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS job_events_notify ON public.job_events;
CREATE TRIGGER job_events_notify
  AFTER INSERT ON public.job_events
  FOR EACH ROW EXECUTE FUNCTION public.job_events_notify();
