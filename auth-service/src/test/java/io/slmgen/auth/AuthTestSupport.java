package io.slmgen.auth;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TokenMinter;

/** Helpers shared by the auth-service HTTP tests. */
final class AuthTestSupport {

    static final String ANON = TokenMinter.anonKey();
    static final String SERVICE = TokenMinter.serviceKey();
    private static final AtomicInteger IP = new AtomicInteger(1);

    private AuthTestSupport() {
    }

    /** A request as auth-js sends it, from its own client address (so per-IP limits don't interfere). */
    static RequestSpecification client() {
        return with(ANON, ANON);
    }

    static RequestSpecification as(String accessToken) {
        return with(ANON, accessToken);
    }

    static RequestSpecification admin() {
        return with(SERVICE, SERVICE);
    }

    private static RequestSpecification with(String apikey, String bearer) {
        int n = IP.getAndIncrement();
        return given().header("apikey", apikey).header("Authorization", "Bearer " + bearer)
                .header("X-Forwarded-For", "10.1." + (n / 250) + "." + (n % 250 + 1))
                .contentType(ContentType.JSON);
    }

    static String email(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    }

    static JsonPath signUp(String email, String password) {
        return client().body(Map.of("email", email, "password", password)).post("/auth/v1/signup")
                .then().statusCode(200).extract().jsonPath();
    }

    static Response passwordGrant(String email, String password) {
        return client().queryParam("grant_type", "password").body(Map.of("email", email, "password", password))
                .post("/auth/v1/token");
    }

    static Response refresh(String refreshToken) {
        return client().queryParam("grant_type", "refresh_token").body(Map.of("refresh_token", refreshToken))
                .post("/auth/v1/token");
    }

    /** The JWT's claims, decoded by hand. */
    static JsonPath claims(String jwt) {
        String payload = jwt.split("\\.")[1];
        return JsonPath.from(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }

    static long count(String sql, Object... args) throws Exception {
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String string(String sql, Object... args) throws Exception {
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static void exec(String sql, Object... args) throws Exception {
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    /** The verify link's token from a mail body. */
    static String linkToken(String text) {
        Matcher m = Pattern.compile("/auth/v1/verify\\?token=([A-Za-z0-9_-]+)&type=([a-z_]+)").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no verify link in: " + text);
        }
        return m.group(1);
    }

    static String otpCode(String text) {
        Matcher m = Pattern.compile("code: (\\d{6})").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no code in: " + text);
        }
        return m.group(1);
    }
}
