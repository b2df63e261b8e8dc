package io.slmgen.shared.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.slmgen.shared.testing.TokenMinter;

class SecretPolicyTest {

    static final String CLI_DEMO = "super-secret-jwt-token-with-at-least-32-characters-long";
    static final String SELF_HOSTING_DEMO = "your-super-secret-jwt-token-with-at-least-32-characters-long";
    static final String GOOD = "q0Zc9y6hX2m7T4vB1nR8kL5wE3sA6dF0gJ9pU2iO";
    static final Optional<String> NONE = Optional.empty();
    static final Optional<String> JWKS = Optional.of("https://project.supabase.co/auth/v1/.well-known/jwks.json");

    static String refusal(SecretPolicy.Verdict v) {
        return assertInstanceOf(SecretPolicy.Refused.class, v).message();
    }

    @Test
    void refusesToStartWithNoKeysAtAllNamingTheSecret() {
        String m = refusal(SecretPolicy.check(NONE, NONE, false));
        assertTrue(m.contains("SUPABASE_JWT_SECRET") && m.contains("SUPABASE_JWKS_URL") && m.contains("SLMGEN_ALLOW_DEMO_SECRET"), m);
        // blank values count as unset
        refusal(SecretPolicy.check(Optional.of("  "), Optional.of(""), false));
    }

    @Test
    void refusesSupabasesPublicExampleSecrets() {
        for (String demo : new String[] {CLI_DEMO, SELF_HOSTING_DEMO}) {
            String m = refusal(SecretPolicy.check(Optional.of(demo), NONE, false));
            assertTrue(m.contains("SUPABASE_JWT_SECRET") && m.contains("public example secret"), m);
            // JWKS keys beside it do not make a public secret safe: anyone could still mint HS256 tokens
            refusal(SecretPolicy.check(Optional.of(demo), JWKS, false));
        }
    }

    @Test
    void refusesSecretsShorterThan32Bytes() {
        String m = refusal(SecretPolicy.check(Optional.of("x".repeat(31)), NONE, false));
        assertTrue(m.contains("shorter than 32 bytes"), m);
        assertInstanceOf(SecretPolicy.Accepted.class, SecretPolicy.check(Optional.of("x".repeat(32)), NONE, false));
        // bytes, not characters: 11 three-byte characters are 33 bytes
        assertInstanceOf(SecretPolicy.Accepted.class, SecretPolicy.check(Optional.of("€".repeat(11)), NONE, false));
        refusal(SecretPolicy.check(Optional.of("€".repeat(10)), NONE, false));
    }

    @Test
    void acceptsARealSecretOrJwksKeys() {
        assertInstanceOf(SecretPolicy.Accepted.class, SecretPolicy.check(Optional.of(GOOD), NONE, false));
        assertInstanceOf(SecretPolicy.Accepted.class, SecretPolicy.check(NONE, JWKS, false));
        assertInstanceOf(SecretPolicy.Accepted.class, SecretPolicy.check(Optional.of(GOOD), JWKS, false));
        assertInstanceOf(SecretPolicy.Accepted.class, SecretPolicy.check(Optional.of(GOOD), NONE, false, Optional.of("signed URLs")));
    }

    @Test
    void theAllowFlagStartsWithALoudWarningInsteadOfRefusing() {
        for (Optional<String> weak : new Optional[] {Optional.of(CLI_DEMO), Optional.of("short"), NONE}) {
            SecretPolicy.Warned w = assertInstanceOf(SecretPolicy.Warned.class, SecretPolicy.check(weak, NONE, true));
            assertTrue(w.message().startsWith("INSECURE") && w.message().contains("SLMGEN_ALLOW_DEMO_SECRET=true"), w.message());
        }
        // a good configuration stays quiet with the flag
        assertInstanceOf(SecretPolicy.Accepted.class, SecretPolicy.check(Optional.of(GOOD), NONE, true));
    }

    @Test
    void aServiceThatSignsNeedsTheSecretEvenWithJwks() {
        String m = refusal(SecretPolicy.check(NONE, JWKS, false, Optional.of("signed URLs")));
        assertTrue(m.contains("SUPABASE_JWT_SECRET is not set") && m.contains("signed URLs"), m);
        // the flag allows a weak secret; it does not stand in for a missing one next to real keys
        refusal(SecretPolicy.check(NONE, JWKS, true, Optional.of("signed URLs")));
    }

    @Test
    void serviceKeyMustBeAServiceRoleJwtOfThisProject() {
        String good = TokenMinter.hs256(TokenMinter.keyClaims("service_role"), GOOD);
        assertEquals(Optional.empty(), SecretPolicy.serviceKeyProblem(good, Optional.of(GOOD)));
        // with JWKS only there is no secret to check an HS256 key against: its role is still checked
        assertEquals(Optional.empty(), SecretPolicy.serviceKeyProblem(good, NONE));

        assertTrue(SecretPolicy.serviceKeyProblem("sb_secret_abcdefghijklmnop", Optional.of(GOOD)).orElseThrow()
                .contains("not a JWT"));
        assertTrue(SecretPolicy.serviceKeyProblem("a.b.c", Optional.of(GOOD)).orElseThrow().contains("not a readable JWT"));
        String anon = TokenMinter.hs256(TokenMinter.keyClaims("anon"), GOOD);
        assertTrue(SecretPolicy.serviceKeyProblem(anon, Optional.of(GOOD)).orElseThrow().contains("role is anon"));
        String otherProject = TokenMinter.hs256(TokenMinter.keyClaims("service_role"), CLI_DEMO);
        assertTrue(SecretPolicy.serviceKeyProblem(otherProject, Optional.of(GOOD)).orElseThrow()
                .contains("does not verify with SUPABASE_JWT_SECRET"));
        // Supabase's public demo service key (docker-compose.yml and the local Kubernetes overlay use it with
        // the CLI's example secret): no iat, exp in 2032
        String demoServiceKey = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIs"
                + "ImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU";
        assertEquals(Optional.empty(), SecretPolicy.serviceKeyProblem(demoServiceKey, Optional.of(CLI_DEMO)));
        assertTrue(SecretPolicy.serviceKeyProblem(demoServiceKey, Optional.of(GOOD)).isPresent(),
                "the demo key beside a real secret: refused at start, not 401s later");
        Map<String, Object> expired = TokenMinter.keyClaims("service_role");
        expired.put("exp", System.currentTimeMillis() / 1000 - 3600);
        assertTrue(SecretPolicy.serviceKeyProblem(TokenMinter.hs256(expired, GOOD), Optional.of(GOOD)).isPresent());
    }
}
