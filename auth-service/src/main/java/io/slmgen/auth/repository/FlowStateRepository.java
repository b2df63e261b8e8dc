package io.slmgen.auth.repository;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * auth.flow_state: PKCE challenges waiting for their auth code exchange. SQL on the caller's connection, not Panache:
 * flows are created and completed inside the transactions that also write one-time tokens and sessions, and the
 * exchange reads the code {@code for update} so that it is used once.
 */
@ApplicationScoped
public class FlowStateRepository {

    public record FlowState(UUID id, UUID userId, String codeChallengeMethod, String codeChallenge, String providerType,
                            String providerAccessToken, String providerRefreshToken, String authenticationMethod,
                            OffsetDateTime authCodeIssuedAt) {
        static FlowState of(Row r) {
            return new FlowState(r.getUUID("id"), r.getUUID("user_id"), r.getString("code_challenge_method"),
                    r.getString("code_challenge"), r.getString("provider_type"), r.getString("provider_access_token"),
                    r.getString("provider_refresh_token"), r.getString("authentication_method"),
                    r.getOffsetDateTime("auth_code_issued_at"));
        }
    }

    public Uni<Void> insert(SqlConnection c, UUID id, UUID userId, String placeholderHash, String method, String challenge,
                            String providerType, String authenticationMethod) {
        return c.preparedQuery("insert into auth.flow_state (id, user_id, auth_code, code_challenge_method, code_challenge, "
                        + "provider_type, authentication_method) values ($1, $2, $3, $4, $5, $6, $7)")
                .execute(Tuple.from(new Object[] {id, userId, placeholderHash, method, challenge, providerType, authenticationMethod}))
                .replaceWithVoid();
    }

    /** Sets the (hashed) auth code handed out in the redirect, the user it signs in, and provider tokens. */
    public Uni<Void> issue(SqlConnection c, UUID id, UUID userId, String authCodeHash, String providerAccessToken,
                           String providerRefreshToken) {
        return c.preparedQuery("update auth.flow_state set auth_code = $2, user_id = $3, auth_code_issued_at = now(), "
                        + "provider_access_token = $4, provider_refresh_token = $5, updated_at = now() where id = $1")
                .execute(Tuple.from(new Object[] {id, authCodeHash, userId, providerAccessToken, providerRefreshToken}))
                .replaceWithVoid();
    }

    public Uni<Optional<FlowState>> findByCodeForUpdate(SqlConnection c, String authCodeHash) {
        return c.preparedQuery("select * from auth.flow_state where auth_code = $1 and auth_code_issued_at is not null for update")
                .execute(Tuple.of(authCodeHash)).map(rows -> {
                    var it = rows.iterator();
                    return it.hasNext() ? Optional.of(FlowState.of(it.next())) : Optional.empty();
                });
    }

    /** Every PKCE flow of the user, including issued but unexchanged auth codes. */
    public Uni<Void> deleteForUser(SqlConnection c, UUID userId) {
        return c.preparedQuery("delete from auth.flow_state where user_id = $1").execute(Tuple.of(userId)).replaceWithVoid();
    }

    public Uni<Void> delete(SqlConnection c, UUID id) {
        return c.preparedQuery("delete from auth.flow_state where id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }
}
