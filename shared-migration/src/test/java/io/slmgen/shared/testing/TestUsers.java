package io.slmgen.shared.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;

/**
 * Creates users the way auth-service does at the database level (a row in auth.users; the seed's
 * trigger creates the profile), for tests of services that only need someone to own rows.
 */
public final class TestUsers {

    private TestUsers() {
    }

    public record TestUser(UUID id, String email, String token) {
        public String bearer() {
            return "Bearer " + token;
        }
    }

    public static TestUser create(String emailPrefix) {
        UUID id = UUID.randomUUID();
        String email = emailPrefix + "-" + id.toString().substring(0, 8) + "@example.test";
        try (Connection c = TestDatabase.superuser();
             PreparedStatement ps = c.prepareStatement(
                     "insert into auth.users (id, email, raw_user_meta_data, raw_app_meta_data, aud, role) "
                             + "values (?, ?, '{}'::jsonb, '{\"provider\":\"email\",\"providers\":[\"email\"]}'::jsonb, "
                             + "'authenticated', 'authenticated')")) {
            ps.setObject(1, id);
            ps.setString(2, email);
            ps.executeUpdate();
        } catch (Exception e) {
            throw new IllegalStateException("could not create test user: " + e.getMessage(), e);
        }
        return new TestUser(id, email, TokenMinter.user(id, email));
    }
}
