-- PKCE (GoTrue's auth.flow_state): a code_challenge given at sign-up, OTP, recovery or OAuth
-- authorize is kept here; the verify/callback redirect then carries ?code=<auth_code> and the client
-- exchanges it with grant_type=pkce. auth_code is stored as a SHA-256 hash.
CREATE TABLE auth.flow_state (
  id uuid PRIMARY KEY,
  user_id uuid REFERENCES auth.users(id) ON DELETE CASCADE,
  auth_code text NOT NULL,
  code_challenge_method text NOT NULL CHECK (code_challenge_method IN ('s256', 'plain')),
  code_challenge text NOT NULL,
  provider_type text NOT NULL,
  provider_access_token text,
  provider_refresh_token text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  authentication_method text NOT NULL,
  auth_code_issued_at timestamptz
);
CREATE INDEX flow_state_auth_code_idx ON auth.flow_state (auth_code);
CREATE INDEX flow_state_created_at_idx ON auth.flow_state (created_at DESC);
ALTER TABLE auth.one_time_tokens ADD COLUMN flow_state_id uuid REFERENCES auth.flow_state(id) ON DELETE SET NULL;
ALTER TABLE auth.flow_state ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON auth.flow_state TO service_role;
