package io.slmgen.postgrest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

import io.restassured.specification.RequestSpecification;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TestUsers.TestUser;
import io.slmgen.shared.testing.TokenMinter;

import static io.restassured.RestAssured.given;

/** Rows arranged as the superuser, and requests sent the way postgrest-js sends them. */
final class Fixtures {

    static final String ANON = TokenMinter.anonKey();

    private Fixtures() {
    }

    /** A request as {@code user} (apikey = anon key, Authorization = the user's token). */
    static RequestSpecification as(TestUser user) {
        return given().header("apikey", ANON).header("Authorization", user.bearer());
    }

    static RequestSpecification anon() {
        return given().header("apikey", ANON).header("Authorization", "Bearer " + ANON);
    }

    static RequestSpecification service() {
        String key = TokenMinter.serviceKey();
        return given().header("apikey", key).header("Authorization", "Bearer " + key);
    }

    /** A job owned by {@code owner}; returns its id. */
    static UUID job(TestUser owner, String sessionId, String filename, int examples, double quality, String status,
                    String trainingConfig, String notebook) {
        try (Connection c = TestDatabase.superuser();
             PreparedStatement ps = c.prepareStatement("insert into public.jobs (user_id, session_id, dataset_filename, "
                     + "dataset_path, total_examples, total_tokens, quality_score, task_type, deployment_target, "
                     + "selected_model_id, selected_model_name, model_score, training_config, notebook_filename, status) "
                     + "values (?, ?, ?, 'datasets/' || ?, ?, ?, ?, 'classify', 'cloud', 'phi4', 'Phi-4 Mini', 0.9, "
                     + "?::jsonb, ?, ?) returning id")) {
            ps.setObject(1, owner.id());
            ps.setString(2, sessionId);
            ps.setString(3, filename);
            ps.setString(4, filename);
            ps.setInt(5, examples);
            ps.setInt(6, examples * 100);
            ps.setDouble(7, quality);
            ps.setString(8, trainingConfig);
            ps.setString(9, notebook);
            ps.setString(10, status);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return (UUID) rs.getObject(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long count(String sql, Object... args) {
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String string(String sql, Object... args) {
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A session id unique to this run, so tests never see each other's rows. */
    static String sid(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
