package io.slmgen.shared.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.slmgen.shared.error.ApiException;
import io.slmgen.shared.jwt.InvalidTokenException;
import io.slmgen.shared.jwt.JwtSettings;
import io.slmgen.shared.jwt.JwtVerifier;
import io.slmgen.shared.testing.TokenMinter;

/** How credentials become a SecurityIdentity (SPEC §3): roles, principal and the Caller it carries. */
class CallerIdentityProviderTest {

    private static final UUID USER = UUID.fromString("6b0c2a52-3f7e-4a8e-9a41-0d5c1e2f3a4b");

    private final CallerIdentityProvider provider =
            new CallerIdentityProvider(new JwtVerifier(JwtSettings.hmac(TokenMinter.SECRET)));

    private SecurityIdentity authenticate(String bearer, boolean fromCookie, String apikey, String badAuthorization) {
        return provider.authenticate(new CallerCredentials(bearer, fromCookie, apikey, badAuthorization), null)
                .await().indefinitely();
    }

    private static String reasonOf(AuthenticationFailedException e) {
        Throwable t = e;
        while (t != null && !(t instanceof InvalidTokenException)) {
            t = t.getCause();
        }
        return t == null ? null : t.getMessage();
    }

    @Test
    void validBearerIsTheUserWithRoleAuthenticatedAndAJsonWebTokenPrincipal() {
        String token = TokenMinter.user(USER, "ada@example.test");
        String anonKey = TokenMinter.anonKey();

        SecurityIdentity identity = authenticate(token, false, anonKey, null);

        assertEquals(Set.of("authenticated"), identity.getRoles());
        assertFalse(identity.isAnonymous());
        JsonWebToken jwt = assertInstanceOf(JsonWebToken.class, identity.getPrincipal());
        assertEquals("6b0c2a52-3f7e-4a8e-9a41-0d5c1e2f3a4b", jwt.getName());
        assertEquals("6b0c2a52-3f7e-4a8e-9a41-0d5c1e2f3a4b", jwt.getSubject());
        assertEquals("ada@example.test", jwt.getClaim("email"));
        assertEquals(token, jwt.getRawToken());
        assertEquals(Set.of("authenticated"), jwt.getGroups());
        assertEquals(Set.of("authenticated"), jwt.getAudience());
        assertEquals("http://127.0.0.1:8080/auth/v1", jwt.getIssuer());
        assertTrue(jwt.getExpirationTime() > 0);

        Caller caller = CallerIdentityProvider.callerOf(identity);
        assertEquals(USER, caller.requireUser());
        assertEquals("Bearer " + token, caller.authorizationHeader().orElseThrow());
        assertEquals(anonKey, caller.apikey());
    }

    @Test
    void apikeyAloneDecidesTheRoleAndIsForwardedAsBothHeaders() {
        String serviceKey = TokenMinter.serviceKey();

        SecurityIdentity identity = authenticate(null, false, serviceKey, null);

        assertEquals(Set.of("service_role"), identity.getRoles());
        assertEquals("service_role", identity.getPrincipal().getName());
        Caller caller = CallerIdentityProvider.callerOf(identity);
        assertTrue(caller.isServiceRole());
        assertEquals(serviceKey, caller.bearer());
        assertEquals(serviceKey, caller.apikey());
    }

    @Test
    void noCredentialsIsTheAnonRoleNotQuarkusAnonymousIdentity() {
        SecurityIdentity identity = authenticate(null, false, null, null);

        assertEquals(Set.of("anon"), identity.getRoles());
        assertFalse(identity.isAnonymous());
        JsonWebToken jwt = assertInstanceOf(JsonWebToken.class, identity.getPrincipal());
        assertEquals("anon", jwt.getName());
        assertEquals("anon", jwt.getClaim("role"));
        assertNull(jwt.getRawToken());
        Caller caller = CallerIdentityProvider.callerOf(identity);
        assertEquals("anon", caller.role());
        assertEquals("{\"role\":\"anon\"}", caller.claimsJson());
        ApiException refusal = assertThrows(ApiException.class, caller::requireUser);
        assertEquals(401, refusal.status());
    }

    @Test
    void badBearerFailsWithTheVerifiersReasonNeverAnon() {
        String foreign = TokenMinter.hs256(TokenMinter.userClaims(USER, "ada@example.test"),
                "some-other-projects-secret-0123456789abcdef");

        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> authenticate(foreign, false, TokenMinter.anonKey(), null));

        assertEquals("invalid JWT signature", reasonOf(e));
    }

    @Test
    void badApikeyFailsEvenBesideAGoodBearer() {
        assertThrows(AuthenticationFailedException.class,
                () -> authenticate(TokenMinter.user(USER), false, "not-a-jwt", null));
    }

    @Test
    void authorizationThatIsNotBearerFails() {
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> authenticate(null, false, TokenMinter.anonKey(), "Authorization must be a Bearer token"));

        assertEquals("Authorization must be a Bearer token", reasonOf(e));
    }

    @Test
    void sessionCookieThatDoesNotVerifyIsNoSession() {
        SecurityIdentity identity = authenticate("expired.or.foreign", true, null, null);

        assertEquals(Set.of("anon"), identity.getRoles());
    }

    @Test
    void sessionCookieThatVerifiesIsTheUser() {
        SecurityIdentity identity = authenticate(TokenMinter.user(USER), true, null, null);

        assertEquals(Set.of("authenticated"), identity.getRoles());
        assertEquals(USER, CallerIdentityProvider.callerOf(identity).userId());
    }

    @Test
    void refusalsOfRolesAllowedAnswerAsTheJavaChecks() {
        ApiException user = AccessDeniedMappers.refusalFor(List.of("authenticated"));
        assertEquals(401, user.status());
        assertEquals("no_authorization", user.code());
        assertEquals("a signed-in user's token is required", user.getMessage());

        ApiException admin = AccessDeniedMappers.refusalFor(List.of("service_role"));
        assertEquals(403, admin.status());
        assertEquals("not_admin", admin.code());
        assertEquals("the service_role key is required", admin.getMessage());
    }

    @Test
    void anIdentityThatIsNotOursIsAnon() {
        assertSame(null, CallerIdentityProvider.callerOf(null).userId());
        assertEquals("anon", CallerIdentityProvider.callerOf(null).role());
        assertEquals(Map.of(), CallerIdentityProvider.callerOf(null).claims());
    }
}
