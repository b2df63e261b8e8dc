package io.slmgen.datasets;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import io.slmgen.shared.testing.SsrCookies;
import io.slmgen.shared.testing.TestDatabase;
import io.slmgen.shared.testing.TestUsers;
import io.slmgen.shared.testing.TestUsers.TestUser;
import io.slmgen.shared.testing.TokenMinter;
import io.vertx.core.json.JsonObject;

/**
 * SLMGEN v1 routes of datasets-service (SPEC §15, /work/notes/slmgen-v1-contract.md) over HTTP, with a
 * real database, the storage stub and an auth-service stub whose sign-up creates real anonymous users.
 * The fixture is the e2e replay's (e2e/slmgen/fixture.js); its numbers are worked out by hand:
 * - tokens (§8.2, ⌊len/4⌋ a message): single-turn 9+11 = 20, with system 7+20 = 27, multi-turn 20+4+7 = 31;
 *   total 50·20 + 4·27 + 2·31 + 4·20 = 1250; avg ⌊1250/60⌋ = 20.
 * - single-turn 58 of 60 → 96 %, multi 4; dupes 4/60 = 6.7 % (0.05) + small dataset (0.2) → 0.75.
 * - avg_response_length ⌊(60·46 + 2·30)/62⌋ = 45.
 * - preview token_count ⌊words·1.3⌋: 16 words → 20; 21 → 27; 26 → 33.
 * - distribution: user 62, assistant 62, system 4; lengths 5250/128 = 41.0; 2 of 60 with two user messages → 3.3.
 * - duplicates: copies of example 0 at 56, 57 and of example 1 at 58, 59.
 */
@QuarkusTest
@WithTestResource(value = TestDatabase.class, initArgs = {
        @ResourceArg(name = "name", value = "datasets_slmgen"), @ResourceArg(name = "slices", value = "auth,jobs")})
@WithTestResource(StubStorage.class)
@WithTestResource(StubAuth.class)
class SlmgenResourceTest {

    static final String SESSION_404 = "Session not found, expired, or access denied. Please upload again.";
    static final String ANON = TokenMinter.anonKey();
    static final String SERVICE = TokenMinter.serviceKey();
    static final String SYSTEM = "You are a precise assistant.";

    @BeforeAll
    static void doubles() {
        RestAssured.config = RestAssured.config().jsonConfig(JsonConfig.jsonConfig()
                .numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    // ---------- the fixture (a port of e2e/slmgen/fixture.js) ----------

    static String p(int i) {
        return String.format("%03d", i);
    }

    static Map<String, String> msg(String role, String content) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }

    static List<Map<String, String>> messagesOf(int k) {
        String user = "Question " + p(k) + ": what does item " + p(k) + " mean?";
        String assistant = "Item " + p(k) + " means the value " + p(k) + " in our catalogue.";
        if (k < 50) {
            return List.of(msg("user", user), msg("assistant", assistant));
        }
        if (k < 54) {
            return List.of(msg("system", SYSTEM), msg("user", user), msg("assistant", assistant));
        }
        if (k < 56) {
            return List.of(msg("user", user), msg("assistant", assistant), msg("user", "And item " + p(k) + " again?"),
                    msg("assistant", "Yes, item " + p(k) + " again means " + p(k) + "."));
        }
        return messagesOf(k < 58 ? 0 : 1);
    }

    static String line(List<Map<String, String>> messages) {
        JsonObject o = new JsonObject().put("messages", new io.vertx.core.json.JsonArray(new ArrayList<>(messages)));
        return o.encode();
    }

    static byte[] fixture() {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 60; k++) {
            sb.append(line(messagesOf(k))).append('\n');
            if (k == 9) {
                sb.append('\n').append(line(List.of(msg("user", "lonely question")))).append('\n');
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] simple(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("{\"messages\":[{\"role\":\"user\",\"content\":\"q").append(i)
                    .append("\"},{\"role\":\"assistant\",\"content\":\"a long enough reply\"}]}\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---------- helpers ----------

    /** What the app sends: FormData with `file`, Accept only, no token. */
    static Response appUpload(byte[] body, String filename, String bearer) {
        var req = given().header("Accept", "application/json").multiPart("file", filename, body, "application/octet-stream");
        if (bearer != null) {
            req = req.header("Authorization", "Bearer " + bearer);
        }
        return req.post("/slmgen/upload");
    }

    static Response analyze(String sid, String bearer) {
        var req = given().contentType("application/json").body(Map.of("session_id", sid));
        if (bearer != null) {
            req = req.header("Authorization", "Bearer " + bearer);
        }
        return req.post("/slmgen/analyze");
    }

    static Response get(String path, String bearer) {
        var req = given().header("Accept", "application/json");
        if (bearer != null) {
            req = req.header("Authorization", "Bearer " + bearer);
        }
        return req.get(path);
    }

    static Map<String, Object> row(String sid) throws Exception {
        try (Connection c = TestDatabase.superuser();
             PreparedStatement ps = c.prepareStatement("select user_id, owner_is_anonymous, expires_at, selected_task, "
                     + "selected_target, selected_model_id, last_scores::text, id from public.datasets where session_id = ?")) {
            ps.setString(1, sid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("user_id", rs.getObject(1));
                m.put("owner_is_anonymous", rs.getBoolean(2));
                m.put("expires_at", rs.getObject(3, OffsetDateTime.class));
                m.put("selected_task", rs.getString(4));
                m.put("selected_target", rs.getString(5));
                m.put("selected_model_id", rs.getString(6));
                m.put("last_scores", rs.getString(7));
                m.put("id", rs.getObject(8));
                return m;
            }
        }
    }

    static long count(String sql, Object param) throws Exception {
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void assertFixtureStats(Response r) {
        r.then().body("stats.total_examples", equalTo(60))
                .body("stats.total_tokens", equalTo(1250))
                .body("stats.avg_tokens_per_example", equalTo(20))
                .body("stats.single_turn_pct", equalTo(96))
                .body("stats.multi_turn_pct", equalTo(4))
                .body("stats.has_system_prompts", equalTo(true))
                .body("stats.quality_score", equalTo(0.75))
                .body("stats.quality_issues", equalTo(List.of("\uD83D\uDC4D Dataset is good, with some minor issues",
                        "A few duplicates: 6.7%", "\u26A0\uFE0F Small dataset - 100+ examples recommended")));
        assertEquals(List.of("avg_tokens_per_example", "has_system_prompts", "multi_turn_pct", "quality_issues",
                "quality_score", "single_turn_pct", "total_examples", "total_tokens"),
                r.jsonPath().getMap("stats").keySet().stream().sorted().toList());
    }

    // ---------- anonymous wizard ----------

    @Test
    void anonymousUploadAnalyzePreviewDistributionDuplicates() throws Exception {
        int signupsBefore = StubAuth.calls("POST", "/auth/v1/signup").size();
        Response up = appUpload(fixture(), "my-dataset.jsonl", null);
        up.then().statusCode(200).body("message", equalTo("Dataset uploaded! Found 60 examples."));
        assertEquals(List.of("message", "session_id", "stats"), up.jsonPath().getMap("$").keySet().stream().sorted().toList());
        assertFixtureStats(up);
        String sid = up.jsonPath().getString("session_id");
        UUID.fromString(sid);

        // one anonymous user was created through auth-service with the service key, and owns the row
        List<StubAuth.Call> signups = StubAuth.calls("POST", "/auth/v1/signup");
        assertEquals(signupsBefore + 1, signups.size());
        StubAuth.Call signup = signups.get(signups.size() - 1);
        assertEquals("{}", signup.body().replace(" ", ""));
        assertEquals("service_role", StubAuth.claims(signup.apikey()).getString("role"));
        assertEquals("Bearer " + signup.apikey(), signup.authorization());
        Map<String, Object> row = row(sid);
        UUID owner = (UUID) row.get("user_id");
        assertTrue(StubAuth.CREATED.contains(owner));
        assertEquals(true, row.get("owner_is_anonymous"));
        OffsetDateTime exp = (OffsetDateTime) row.get("expires_at");
        Duration left = Duration.between(OffsetDateTime.now(), exp);
        assertTrue(left.compareTo(Duration.ofHours(23).plusMinutes(58)) > 0 && left.compareTo(Duration.ofHours(24)) <= 0,
                "expires in 24 h: " + exp);
        // the object went to storage under the anonymous user's folder, with that user's token
        StubStorage.Call stored = StubStorage.CALLS.stream()
                .filter(c -> c.method().equals("POST") && c.path().startsWith(owner + "/") && c.completed()).findFirst().orElseThrow();
        assertEquals(owner.toString(), StubAuth.claims(stored.authorization().substring(7)).getString("sub"));
        assertTrue(stored.path().endsWith("/my-dataset.jsonl"));

        // analyze without a token (the app never sends one)
        Response an = analyze(sid, null);
        an.then().statusCode(200).body("session_id", equalTo(sid))
                .body("characteristics.is_multilingual", equalTo(false))
                .body("characteristics.avg_response_length", equalTo(45))
                .body("characteristics.looks_like_json", equalTo(false))
                .body("characteristics.is_multi_turn", equalTo(false))
                .body("characteristics.has_system_prompts", equalTo(true))
                .body("characteristics.dominant_language", equalTo("en"));
        assertFixtureStats(an);
        assertEquals(List.of("characteristics", "session_id", "stats"), an.jsonPath().getMap("$").keySet().stream().sorted().toList());
        assertEquals(6, an.jsonPath().getMap("characteristics").size());

        // preview: 0-based index over valid examples, SLMGEN's word estimate
        Response first = get("/slmgen/preview/" + sid + "?page=1&page_size=3", null);
        first.then().statusCode(200).body("total_count", equalTo(60)).body("page", equalTo(1)).body("page_size", equalTo(3))
                .body("examples.index", equalTo(List.of(0, 1, 2)))
                .body("examples.token_count", equalTo(List.of(20, 20, 20)));
        assertEquals(messagesOf(0), first.jsonPath().getList("examples[0].messages"));
        assertEquals(messagesOf(2), first.jsonPath().getList("examples[2].messages"));
        assertEquals(List.of("index", "messages", "token_count"),
                first.jsonPath().getMap("examples[0]").keySet().stream().sorted().toList());
        Response later = get("/slmgen/preview/" + sid + "?page=19&page_size=3", null);
        later.then().statusCode(200).body("examples.index", equalTo(List.of(54, 55, 56)))
                .body("examples.token_count", equalTo(List.of(33, 33, 20))).body("page", equalTo(19));
        assertEquals(messagesOf(54), later.jsonPath().getList("examples[0].messages"));
        assertEquals(messagesOf(56), later.jsonPath().getList("examples[2].messages"));
        get("/slmgen/preview/" + sid + "?page=18&page_size=3", null).then().statusCode(200)
                .body("examples.index", equalTo(List.of(51, 52, 53)))
                .body("examples.token_count", equalTo(List.of(27, 27, 27)))
                .body("examples[0].messages[0].role", equalTo("system"));
        get("/slmgen/preview/" + sid, null).then().statusCode(200).body("page", equalTo(1)).body("page_size", equalTo(5))
                .body("examples.index", equalTo(List.of(0, 1, 2, 3, 4)));
        // clamping as SLMGEN: page < 1 → 1, page_size to 1..100
        get("/slmgen/preview/" + sid + "?page=0&page_size=500", null).then().statusCode(200).body("page", equalTo(1))
                .body("page_size", equalTo(100)).body("examples.size()", equalTo(60)).body("examples[59].index", equalTo(59));
        get("/slmgen/preview/" + sid + "?page=-3&page_size=0", null).then().statusCode(200).body("page", equalTo(1))
                .body("page_size", equalTo(1)).body("examples.index", equalTo(List.of(0)));
        get("/slmgen/preview/" + sid + "?page=30&page_size=3", null).then().statusCode(200)
                .body("examples.size()", equalTo(0)).body("total_count", equalTo(60));
        get("/slmgen/preview/" + sid + "?page=x", null).then().statusCode(422).body("detail", org.hamcrest.Matchers.notNullValue());

        Response dist = get("/slmgen/preview/" + sid + "/distribution", null);
        dist.then().statusCode(200)
                .body("roles.user", equalTo(62)).body("roles.assistant", equalTo(62)).body("roles.system", equalTo(4))
                .body("roles.size()", equalTo(3))
                .body("avg_message_length", equalTo(41.0))
                .body("token_distribution.'0-100'", equalTo(60)).body("token_distribution.'100-500'", equalTo(0))
                .body("token_distribution.'500-1000'", equalTo(0)).body("token_distribution.'1000+'", equalTo(0))
                .body("has_system_prompts", equalTo(true))
                .body("multi_turn_percentage", equalTo(3.3));
        assertEquals(5, dist.jsonPath().getMap("$").size());

        get("/slmgen/preview/" + sid + "/duplicates", null).then().statusCode(200)
                .body("count", equalTo(4)).body("examples", equalTo(List.of(56, 57, 58, 59)));

        // another user's token on this anonymous session: RLS hides it
        TestUser stranger = TestUsers.create("stranger");
        analyze(sid, stranger.token()).then().statusCode(404).body("detail", equalTo(SESSION_404));
        get("/slmgen/preview/" + sid, stranger.token()).then().statusCode(404).body("detail", equalTo("Session not found"));

        // expired → unreachable without a token
        try (Connection c = TestDatabase.superuser();
             PreparedStatement ps = c.prepareStatement("update public.datasets set expires_at = now() - interval '1 minute' where session_id = ?")) {
            ps.setString(1, sid);
            ps.executeUpdate();
        }
        analyze(sid, null).then().statusCode(404).body("detail", equalTo(SESSION_404));
        get("/slmgen/preview/" + sid, null).then().statusCode(404).body("detail", equalTo("Session not found"));
        get("/slmgen/preview/" + sid + "/distribution", null).then().statusCode(404).body("detail", equalTo("Session not found"));
        get("/slmgen/preview/" + sid + "/duplicates", null).then().statusCode(404).body("detail", equalTo("Session not found"));
    }

    @Test
    void duplicateListingKeepsGroupOrderAndTheFirstTwenty() {
        // 60 distinct examples, then 30 copies of example 5 and one copy of example 2: groups in order of first
        // occurrence → 2's copy (index 90) first, then 5's copies (60..): count 31, first 20 listed
        StringBuilder sb = new StringBuilder(new String(simple(60), StandardCharsets.UTF_8));
        String[] lines = sb.toString().split("\n");
        for (int i = 0; i < 30; i++) {
            sb.append(lines[5]).append('\n');
        }
        sb.append(lines[2]).append('\n');
        String sid = appUpload(sb.toString().getBytes(StandardCharsets.UTF_8), "dups.jsonl", null)
                .then().statusCode(200).body("stats.total_examples", equalTo(91)).extract().path("session_id");
        List<Integer> expected = new ArrayList<>();
        expected.add(90);
        for (int i = 60; i < 79; i++) {
            expected.add(i);
        }
        get("/slmgen/preview/" + sid + "/duplicates", null).then().statusCode(200)
                .body("count", equalTo(31)).body("examples", equalTo(expected));
    }

    // ---------- signed-in users ----------

    @Test
    void userSessionsBelongToTheUserAndNeedTheirToken() throws Exception {
        TestUser u = TestUsers.create("slmgen-owner");
        int signups = StubAuth.calls("POST", "/auth/v1/signup").size();
        Response up = appUpload(fixture(), "Mine.JSONL", u.token());
        up.then().statusCode(200).body("message", equalTo("Dataset uploaded! Found 60 examples."));
        assertFixtureStats(up);
        assertEquals(signups, StubAuth.calls("POST", "/auth/v1/signup").size(), "no anonymous user for a signed-in upload");
        String sid = up.jsonPath().getString("session_id");
        Map<String, Object> row = row(sid);
        assertEquals(u.id(), row.get("user_id"));
        assertEquals(false, row.get("owner_is_anonymous"));
        assertNull(row.get("expires_at"));

        analyze(sid, u.token()).then().statusCode(200).body("stats.total_tokens", equalTo(1250));
        get("/slmgen/preview/" + sid + "?page=2&page_size=2", u.token()).then().statusCode(200)
                .body("examples.index", equalTo(List.of(2, 3)));
        get("/slmgen/preview/" + sid + "/duplicates", u.token()).then().statusCode(200).body("count", equalTo(4));
        get("/slmgen/preview/" + sid + "/distribution", u.token()).then().statusCode(200).body("multi_turn_percentage", equalTo(3.3));

        // no token, or another user's token → 404 with SLMGEN's texts
        TestUser other = TestUsers.create("slmgen-other");
        for (String bearer : new String[] {null, other.token()}) {
            analyze(sid, bearer).then().statusCode(404).body("detail", equalTo(SESSION_404));
            get("/slmgen/preview/" + sid, bearer).then().statusCode(404).body("detail", equalTo("Session not found"));
            get("/slmgen/preview/" + sid + "/distribution", bearer).then().statusCode(404).body("detail", equalTo("Session not found"));
            get("/slmgen/preview/" + sid + "/duplicates", bearer).then().statusCode(404).body("detail", equalTo("Session not found"));
        }

        // the /api row carries the SLMGEN columns
        given().header("Authorization", u.bearer()).get("/api/datasets/by-session/" + sid).then().statusCode(200)
                .body("owner_is_anonymous", equalTo(false)).body("expires_at", nullValue())
                .body("selected_task", nullValue()).body("selected_target", nullValue())
                .body("selected_model_id", nullValue()).body("last_scores", nullValue());
    }

    // ---------- @supabase/ssr cookie sessions (SPEC §15): the app's plain fetch as the signed-in person ----------

    /** The gateway's origin (SUPABASE_URL) and the cookie supabase-js names after its host's first label. */
    static final String GATEWAY = java.net.URI.create(org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getValue("slmgen.public-url", String.class)).resolve("/").toString().replaceAll("/$", "");
    static final String COOKIE = "sb-" + java.net.URI.create(GATEWAY).getHost().split("\\.")[0] + "-auth-token";
    /** An allowed frontend origin (shared-jwt's test configuration: SLMGEN_ALLOWED_ORIGINS). */
    static final String FRONTEND = "http://app.slmgen.test:3000";

    static String ssrCookie(String token, UUID user, int padding, boolean base64) {
        String json = SsrCookies.session(token, user.toString(), padding);
        return SsrCookies.header(SsrCookies.pairs(COOKIE, base64 ? SsrCookies.base64(json) : json));
    }

    /** A request as the app's page sends it: no Authorization, the cookie, and Origin/Referer when given. */
    static io.restassured.specification.RequestSpecification fromPage(String cookie, String origin, String referer) {
        var req = given().header("Accept", "application/json").header("Cookie", cookie);
        if (origin != null) {
            req = req.header("Origin", origin);
        }
        if (referer != null) {
            req = req.header("Referer", referer);
        }
        return req;
    }

    @Test
    void aSessionCookieFromOurOriginMakesTheWizardTheSignedInUsers() throws Exception {
        assertEquals("http://127.0.0.1:8080|sb-127-auth-token", GATEWAY + "|" + COOKIE, "the local default");
        TestUser u = TestUsers.create("cookie-owner");
        int signups = StubAuth.calls("POST", "/auth/v1/signup").size();
        // a big session: the cookie arrives in chunks .0, .1, … of base64- + base64url
        String chunked = ssrCookie(u.token(), u.id(), 900, true);
        assertTrue(chunked.contains(COOKIE + ".1="), chunked.length() + " characters in chunks");
        Response up = fromPage(chunked, GATEWAY, GATEWAY + "/dashboard/new")
                .multiPart("file", "cookie.jsonl", fixture(), "application/octet-stream").post("/slmgen/upload");
        up.then().statusCode(200).body("message", equalTo("Dataset uploaded! Found 60 examples."));
        String sid = up.jsonPath().getString("session_id");
        Map<String, Object> row = row(sid);
        assertEquals(u.id(), row.get("user_id"), "the session is the signed-in user's");
        assertEquals(false, row.get("owner_is_anonymous"));
        assertNull(row.get("expires_at"));
        assertEquals(signups, StubAuth.calls("POST", "/auth/v1/signup").size(), "no anonymous user made");
        // storage got the user's own token, forwarded as a bearer
        StubStorage.Call stored = StubStorage.CALLS.stream()
                .filter(c -> c.method().equals("POST") && c.path().startsWith(u.id() + "/") && c.completed()).findFirst().orElseThrow();
        assertEquals("Bearer " + u.token(), stored.authorization());

        // unsplit base64, and no Origin but a Referer of our origin (what a same-origin GET may send)
        fromPage(ssrCookie(u.token(), u.id(), 0, true), null, GATEWAY + "/dashboard/new?step=2")
                .contentType("application/json").body(Map.of("session_id", sid)).post("/slmgen/analyze")
                .then().statusCode(200).body("stats.total_tokens", equalTo(1250));
        // the plain URL-encoded JSON that older @supabase/ssr wrote, from the allowed frontend origin
        fromPage(ssrCookie(u.token(), u.id(), 0, false), FRONTEND, null).get("/slmgen/preview/" + sid + "?page_size=2")
                .then().statusCode(200).body("examples.index", equalTo(List.of(0, 1)));
        fromPage(ssrCookie(u.token(), u.id(), 400, false), FRONTEND, null).get("/slmgen/preview/" + sid + "/duplicates")
                .then().statusCode(200).body("count", equalTo(4));
    }

    @Test
    void sessionCookiesAreIgnoredFromOtherOriginsWhenInvalidAndBesideABearer() throws Exception {
        TestUser u = TestUsers.create("cookie-guard");
        String sid = appUpload(fixture(), "guarded.jsonl", u.token()).then().statusCode(200).extract().path("session_id");
        String cookie = ssrCookie(u.token(), u.id(), 0, true);
        String preview = "/slmgen/preview/" + sid;
        fromPage(cookie, GATEWAY, null).get(preview).then().statusCode(200);

        // CSRF guard: the cookie counts only from our origin or an allowed frontend: otherwise the request is anonymous
        String[][] foreign = {{"https://evil.example", null}, {"https://evil.example", GATEWAY + "/"}, {null, null},
                {null, "https://evil.example/" + GATEWAY}, {"null", null}, {GATEWAY.replace("8080", "8081"), null},
                {"http://app.slmgen.test", null}};
        for (String[] f : foreign) {
            fromPage(cookie, f[0], f[1]).get(preview).then().statusCode(404).body("detail", equalTo("Session not found"));
        }
        // an expired or unverifiable token in the cookie is no session (anonymous, not 401)
        Map<String, Object> expired = TokenMinter.userClaims(u.id(), u.email());
        expired.put("iat", System.currentTimeMillis() / 1000 - 7200);
        expired.put("exp", System.currentTimeMillis() / 1000 - 3600);
        String expiredCookie = ssrCookie(TokenMinter.hs256(expired), u.id(), 0, true);
        fromPage(expiredCookie, GATEWAY, null).get(preview).then().statusCode(404).body("detail", equalTo("Session not found"));
        fromPage(ssrCookie(TokenMinter.hs256(TokenMinter.userClaims(u.id(), u.email()), "another-projects-secret-0123456789abcdef"),
                u.id(), 0, true), GATEWAY, null).get(preview).then().statusCode(404);
        fromPage(COOKIE + "=base64-%%%", GATEWAY, null).get(preview).then().statusCode(404);
        // ... so an upload with an expired cookie makes an anonymous session, as without any cookie
        int signups = StubAuth.calls("POST", "/auth/v1/signup").size();
        String anonSid = fromPage(expiredCookie, GATEWAY, null)
                .multiPart("file", "expired.jsonl", fixture(), "application/octet-stream").post("/slmgen/upload")
                .then().statusCode(200).extract().path("session_id");
        assertEquals(signups + 1, StubAuth.calls("POST", "/auth/v1/signup").size());
        assertEquals(true, row(anonSid).get("owner_is_anonymous"));
        // a cookie under another project's name is not ours
        fromPage(cookie.replace(COOKIE, "sb-otherproject-auth-token"), GATEWAY, null).get(preview).then().statusCode(404);

        // a bearer token always wins over the cookie: another user's → 404; a bad one → 401 as always
        TestUser other = TestUsers.create("cookie-other");
        fromPage(cookie, GATEWAY, null).header("Authorization", other.bearer()).get(preview).then().statusCode(404);
        fromPage(cookie, GATEWAY, null).header("Authorization", "Bearer nonsense").get(preview).then().statusCode(401);

        // only on /slmgen: our /api routes still need the Authorization header
        fromPage(cookie, GATEWAY, null).get("/api/datasets/by-session/" + sid).then().statusCode(401);
        given().header("Authorization", u.bearer()).get("/api/datasets/by-session/" + sid).then().statusCode(200);
    }

    // ---------- errors ----------

    @Test
    void errorsInSlmgensShapeAndNothingStored() throws Exception {
        int signups = StubAuth.calls("POST", "/auth/v1/signup").size();
        appUpload(simple(60), "dataset.txt", null).then().statusCode(400).body("detail", equalTo("Please upload a .jsonl file"));
        appUpload(simple(60), "dataset.json", null).then().statusCode(400).body("detail", equalTo("Please upload a .jsonl file"));
        assertEquals(signups, StubAuth.calls("POST", "/auth/v1/signup").size(), "a rejected name creates no user");

        // too few examples: the anonymous user made for it is removed again, no row, no object
        appUpload(simple(49), "small.jsonl", null).then().statusCode(400)
                .body("detail", equalTo("Need at least 50 examples for fine-tuning. You only have 49. Maybe try adding more data?"));
        UUID made = StubAuth.CREATED.get(StubAuth.CREATED.size() - 1);
        assertEquals(0, count("select count(*) from public.datasets where user_id = ?", made));
        DatasetResourceTest.awaitTrue(() -> StubAuth.calls("DELETE", "/auth/v1/admin/users/" + made).size() == 1);
        DatasetResourceTest.awaitTrue(() -> StubStorage.OBJECTS.keySet().stream().noneMatch(k -> k.startsWith(made + "/")));

        TestUser u = TestUsers.create("slmgen-err");
        appUpload(simple(49), "small.jsonl", u.token()).then().statusCode(400)
                .body("detail", equalTo("Need at least 50 examples for fine-tuning. You only have 49. Maybe try adding more data?"));
        assertEquals(0, count("select count(*) from public.datasets where user_id = ?", u.id()));
        appUpload(simple(50), "UPPER.JSONL", u.token()).then().statusCode(200).body("stats.total_examples", equalTo(50));

        // no `file` part → 422; not multipart → 422
        given().multiPart("other", "x.jsonl", simple(60), "application/octet-stream").post("/slmgen/upload")
                .then().statusCode(422).body("detail", org.hamcrest.Matchers.notNullValue());
        given().contentType("application/json").body("{}").post("/slmgen/upload")
                .then().statusCode(422).body("detail", org.hamcrest.Matchers.notNullValue());

        // auth-service failing → 503 (the app retries), nothing stored
        StubAuth.FAIL_NEXT.set(500);
        appUpload(simple(60), "retry.jsonl", null).then().statusCode(503).body("detail", org.hamcrest.Matchers.notNullValue());

        // a present but invalid token → 401 everywhere (SLMGEN fell back to anonymous: we differ)
        String forged = u.token().substring(0, u.token().lastIndexOf('.') + 1) + "A".repeat(43);
        appUpload(simple(60), "x.jsonl", forged).then().statusCode(401).body("detail", org.hamcrest.Matchers.notNullValue());
        analyze(UUID.randomUUID().toString(), forged).then().statusCode(401);
        get("/slmgen/preview/" + UUID.randomUUID(), "not-a-jwt").then().statusCode(401);

        // unknown sessions and schema errors
        String unknown = UUID.randomUUID().toString();
        analyze(unknown, null).then().statusCode(404).body("detail", equalTo(SESSION_404));
        analyze("not-a-uuid", null).then().statusCode(404).body("detail", equalTo(SESSION_404));
        given().contentType("application/json").body("{}").post("/slmgen/analyze").then().statusCode(422)
                .body("detail", org.hamcrest.Matchers.notNullValue());
        get("/slmgen/preview/" + unknown, null).then().statusCode(404).body("detail", equalTo("Session not found"));
        get("/slmgen/preview/" + unknown + "/distribution", null).then().statusCode(404).body("detail", equalTo("Session not found"));
        get("/slmgen/preview/" + unknown + "/duplicates", null).then().statusCode(404).body("detail", equalTo("Session not found"));
    }

    // ---------- service API: session owner and selection ----------

    @Test
    void sessionOwnerIsForTheServiceRoleOnly() throws Exception {
        String sid = appUpload(simple(60), "owner.jsonl", null).then().statusCode(200).extract().path("session_id");
        Map<String, Object> row = row(sid);
        Response r = given().header("Authorization", "Bearer " + SERVICE).header("apikey", SERVICE)
                .get("/api/datasets/session-owner/" + sid);
        r.then().statusCode(200)
                .body("dataset_id", equalTo(row.get("id").toString()))
                .body("user_id", equalTo(row.get("user_id").toString()))
                .body("owner_is_anonymous", equalTo(true));
        assertEquals(4, r.jsonPath().getMap("$").size());
        OffsetDateTime exp = OffsetDateTime.parse(r.jsonPath().getString("expires_at"));
        assertEquals(((OffsetDateTime) row.get("expires_at")).toInstant(), exp.toInstant());

        TestUser u = TestUsers.create("slmgen-so");
        String mine = appUpload(simple(60), "mine.jsonl", u.token()).then().statusCode(200).extract().path("session_id");
        given().header("Authorization", "Bearer " + SERVICE).get("/api/datasets/session-owner/" + mine).then().statusCode(200)
                .body("user_id", equalTo(u.id().toString())).body("owner_is_anonymous", equalTo(false))
                .body("expires_at", nullValue());

        // users (even the owner) and anon callers: 403; unknown: 404
        given().header("Authorization", u.bearer()).get("/api/datasets/session-owner/" + mine).then().statusCode(403);
        given().header("apikey", ANON).get("/api/datasets/session-owner/" + sid).then().statusCode(403);
        given().get("/api/datasets/session-owner/" + sid).then().statusCode(403);
        given().header("Authorization", "Bearer " + SERVICE).get("/api/datasets/session-owner/" + UUID.randomUUID())
                .then().statusCode(404).body("status", equalTo(404));
    }

    @Test
    void selectionIsReadAsTheCallerAndWrittenAsService() throws Exception {
        TestUser u = TestUsers.create("slmgen-sel");
        String sid = appUpload(simple(60), "sel.jsonl", u.token()).then().statusCode(200).extract().path("session_id");
        String id = row(sid).get("id").toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("task", "qa");
        body.put("deployment", "cloud");
        body.put("model_id", "llama32");
        body.put("scores", Map.of("llama32", 85.0, "phi35", 85, "gemma2", 65.5));
        given().header("Authorization", u.bearer()).contentType("application/json").body(body)
                .put("/api/datasets/" + id + "/selection").then().statusCode(200)
                .body("id", equalTo(id)).body("selected_task", equalTo("qa")).body("selected_target", equalTo("cloud"))
                .body("selected_model_id", equalTo("llama32"))
                .body("last_scores.llama32", equalTo(85.0)).body("last_scores.phi35", equalTo(85))
                .body("last_scores.gemma2", equalTo(65.5));
        Map<String, Object> row = row(sid);
        assertEquals("qa", row.get("selected_task"));
        assertEquals("cloud", row.get("selected_target"));
        assertEquals("llama32", row.get("selected_model_id"));
        JsonObject scores = new JsonObject((String) row.get("last_scores"));
        assertEquals(65.5, scores.getDouble("gemma2"));
        assertEquals(3, scores.size());
        given().header("Authorization", u.bearer()).get("/api/datasets/by-session/" + sid).then().statusCode(200)
                .body("selected_task", equalTo("qa")).body("selected_target", equalTo("cloud"))
                .body("selected_model_id", equalTo("llama32")).body("last_scores.gemma2", equalTo(65.5));

        // a second recommendation replaces it
        body.put("task", "conversation");
        body.put("deployment", "edge");
        body.put("model_id", "gemma2");
        body.put("scores", Map.of("gemma2", 85));
        given().header("Authorization", u.bearer()).contentType("application/json").body(body)
                .put("/api/datasets/" + id + "/selection").then().statusCode(200).body("selected_model_id", equalTo("gemma2"));
        assertEquals("{\"gemma2\": 85}", row(sid).get("last_scores"));

        // someone else's dataset is invisible → 404, nothing written; anon → 401
        TestUser other = TestUsers.create("slmgen-sel-other");
        body.put("model_id", "phi4");
        given().header("Authorization", other.bearer()).contentType("application/json").body(body)
                .put("/api/datasets/" + id + "/selection").then().statusCode(404);
        given().contentType("application/json").body(body).put("/api/datasets/" + id + "/selection").then().statusCode(401);
        assertEquals("gemma2", row(sid).get("selected_model_id"));

        // values are validated (422 naming the field)
        Map<String, Object> bad = new LinkedHashMap<>(body);
        bad.put("task", "poetry");
        given().header("Authorization", u.bearer()).contentType("application/json").body(bad)
                .put("/api/datasets/" + id + "/selection").then().statusCode(422).body("field", equalTo("task"));
        bad = new LinkedHashMap<>(body);
        bad.put("deployment", "moon");
        given().header("Authorization", u.bearer()).contentType("application/json").body(bad)
                .put("/api/datasets/" + id + "/selection").then().statusCode(422).body("field", equalTo("deployment"));
        bad = new LinkedHashMap<>(body);
        bad.remove("model_id");
        given().header("Authorization", u.bearer()).contentType("application/json").body(bad)
                .put("/api/datasets/" + id + "/selection").then().statusCode(422).body("field", equalTo("model_id"));
        bad = new LinkedHashMap<>(body);
        bad.put("scores", Map.of("gemma2", "high"));
        given().header("Authorization", u.bearer()).contentType("application/json").body(bad)
                .put("/api/datasets/" + id + "/selection").then().statusCode(422).body("field", equalTo("scores"));
        assertEquals("gemma2", row(sid).get("selected_model_id"));

        // an anonymous session's acting owner (as catalog-service forwards it) may select too
        String anonSid = appUpload(simple(60), "anon-sel.jsonl", null).then().statusCode(200).extract().path("session_id");
        Map<String, Object> anonRow = row(anonSid);
        Map<String, Object> claims = TokenMinter.userClaims((UUID) anonRow.get("user_id"), "");
        claims.put("is_anonymous", true);
        given().header("Authorization", "Bearer " + TokenMinter.hs256(claims)).contentType("application/json").body(body)
                .put("/api/datasets/" + anonRow.get("id") + "/selection").then().statusCode(200)
                .body("selected_task", equalTo("conversation"));
    }

    // ---------- rows written by clients (issue 15 item 3: nothing trusts a client-written column) ----------

    static Response restInsert(TestUser u, Map<String, Object> row) {
        return given().header("Authorization", u.bearer()).header("apikey", ANON)
                .header("Prefer", "return=representation").header("Content-Profile", "public")
                .contentType("application/json").body(row).post("/rest/v1/datasets");
    }

    /** The seed's columns only, as the seed's frontend records a dataset it stored itself. */
    static Map<String, Object> seedRow(TestUser u, String path) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("user_id", u.id().toString());
        row.put("filename", "mine.jsonl");
        row.put("storage_path", path);
        row.put("file_size", 1234);
        row.put("total_examples", 60);
        row.put("total_tokens", 1250);
        row.put("avg_tokens_per_example", 20);
        row.put("quality_score", 0.75);
        row.put("single_turn_pct", 96);
        row.put("multi_turn_pct", 4);
        row.put("has_system_prompts", true);
        row.put("quality_issues", List.of("fine"));
        row.put("is_multilingual", false);
        row.put("looks_like_json", false);
        row.put("is_multi_turn", false);
        return row;
    }

    @Test
    void aSeedColumnInsertThroughRestV1IsAcceptedAndGetsServerValues() throws Exception {
        TestUser u = TestUsers.create("rest-seed");
        Response r = restInsert(u, seedRow(u, u.id() + "/own/mine.jsonl"));
        r.then().statusCode(201).body("[0].user_id", equalTo(u.id().toString()))
                .body("[0].file_size", equalTo(1234)).body("[0].owner_is_anonymous", equalTo(false))
                .body("[0].expires_at", nullValue()).body("[0].duplicate_count", nullValue())
                .body("[0].selected_model_id", nullValue()).body("[0].job_id", nullValue());
        // the columns the seed does not have got defaults: fresh ids, nothing chosen by the client
        String sid = r.jsonPath().getString("[0].session_id");
        UUID.fromString(sid);
        UUID.fromString(r.jsonPath().getString("[0].allocated_job_id"));
        // an insert naming only the NOT NULL seed columns works too, without representation
        Map<String, Object> minimal = new LinkedHashMap<>();
        minimal.put("user_id", u.id().toString());
        minimal.put("filename", "min.jsonl");
        minimal.put("storage_path", u.id() + "/min.jsonl");
        minimal.put("file_size", 1);
        given().header("Authorization", u.bearer()).header("apikey", ANON).contentType("application/json")
                .body(minimal).post("/rest/v1/datasets").then().statusCode(201);
        assertEquals(2L, count("select count(*) from public.datasets where user_id = ?", u.id()));
        // such a row is the user's session, never an anonymous one
        analyze(sid, null).then().statusCode(404).body("detail", equalTo(SESSION_404));
        analyze(sid, u.token()).then().statusCode(200).body("stats.total_examples", equalTo(60));
    }

    @Test
    void serverOwnedColumnsCannotBeWrittenByUsers() throws Exception {
        TestUser u = TestUsers.create("rest-forge");
        Map<String, Object> forged = new LinkedHashMap<>();
        forged.put("owner_is_anonymous", true);
        forged.put("expires_at", "2999-01-01T00:00:00Z");
        forged.put("session_id", UUID.randomUUID().toString());
        forged.put("allocated_job_id", UUID.randomUUID().toString());
        forged.put("selected_model_id", "qwen25");
        forged.put("selected_task", "qa");
        forged.put("last_scores", Map.of("qwen25", 100));
        forged.put("duplicate_count", 0);
        forged.put("duplicate_examples", List.of());
        forged.put("avg_response_length", 1);
        forged.put("invalid_lines", 0);
        forged.put("tokenizer_tokens", 1);
        for (Map.Entry<String, Object> e : forged.entrySet()) {
            Map<String, Object> row = seedRow(u, u.id() + "/f/" + e.getKey() + ".jsonl");
            row.put(e.getKey(), e.getValue());
            restInsert(u, row).then().statusCode(403).body("code", equalTo("42501"));
        }
        assertEquals(0L, count("select count(*) from public.datasets where user_id = ?", u.id()));

        // no UPDATE at all: not of a server-owned column, not of a seed column
        String sid = appUpload(simple(60), "upd.jsonl", u.token()).then().statusCode(200).extract().path("session_id");
        for (String body : new String[] {"{\"owner_is_anonymous\":true}", "{\"expires_at\":\"2999-01-01T00:00:00Z\"}",
                "{\"file_size\":1}", "{\"storage_path\":\"" + u.id() + "/other.jsonl\"}"}) {
            given().header("Authorization", u.bearer()).header("apikey", ANON).contentType("application/json").body(body)
                    .patch("/rest/v1/datasets?session_id=eq." + sid).then().statusCode(403).body("code", equalTo("42501"));
        }
        Map<String, Object> row = row(sid);
        assertEquals(false, row.get("owner_is_anonymous"));
        assertNull(row.get("expires_at"));
        // an upsert is an update too
        Map<String, Object> upsert = seedRow(u, u.id() + "/x/y.jsonl");
        upsert.put("id", row.get("id").toString());
        given().header("Authorization", u.bearer()).header("apikey", ANON)
                .header("Prefer", "resolution=merge-duplicates").contentType("application/json").body(upsert)
                .post("/rest/v1/datasets").then().statusCode(403);
        // anon: nothing
        given().header("apikey", ANON).contentType("application/json").body(seedRow(u, u.id() + "/a.jsonl"))
                .post("/rest/v1/datasets").then().statusCode(401);
    }

    @Test
    void seedColumnsOthersRelyOnAreChecked() throws Exception {
        TestUser u = TestUsers.create("rest-check");
        TestUser other = TestUsers.create("rest-check-other");
        // the object must be in the user's own folder
        for (String path : new String[] {other.id() + "/x.jsonl", "x.jsonl", u.id() + "/../" + other.id() + "/x.jsonl",
                "/" + u.id() + "/x.jsonl", u.id() + "//x.jsonl", u.id() + "/", u.id() + "/./x.jsonl"}) {
            restInsert(u, seedRow(u, path)).then().statusCode(400).body("code", equalTo("23514"));
        }
        Map<String, Object> negative = seedRow(u, u.id() + "/n.jsonl");
        negative.put("file_size", -5);
        restInsert(u, negative).then().statusCode(400).body("code", equalTo("23514"));
        // job_id: only one of the user's own jobs
        UUID othersJob = UUID.randomUUID();
        UUID ownJob = UUID.randomUUID();
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(
                "insert into public.jobs (id, user_id, session_id, dataset_filename, dataset_path, total_examples, "
                        + "total_tokens, quality_score, task_type, deployment_target, selected_model_id, selected_model_name, "
                        + "model_score) values (?, ?, ?, 'j.jsonl', 'p', 80, 800, 0.65, 'qa', 'cloud', 'phi4', 'Phi-4', 80)")) {
            for (Object[] job : new Object[][] {{othersJob, other.id()}, {ownJob, u.id()}}) {
                ps.setObject(1, job[0]);
                ps.setObject(2, job[1]);
                ps.setString(3, UUID.randomUUID().toString());
                ps.executeUpdate();
            }
        }
        Map<String, Object> withJob = seedRow(u, u.id() + "/j.jsonl");
        withJob.put("job_id", othersJob.toString());
        restInsert(u, withJob).then().statusCode(403).body("code", equalTo("42501"));
        withJob.put("job_id", UUID.randomUUID().toString());
        restInsert(u, withJob).then().statusCode(403).body("code", equalTo("42501"));
        assertEquals(0L, count("select count(*) from public.datasets where user_id = ?", u.id()));
        withJob.put("job_id", ownJob.toString());
        restInsert(u, withJob).then().statusCode(201).body("[0].job_id", equalTo(ownJob.toString()));
    }

    @Test
    void aRowClaimingAnAnonymousOwnerIsNotReachableByAStranger() throws Exception {
        // a signed-in user's row that says "anonymous owner, not expired" (written before the column
        // privileges, or by anyone but datasets-service): no token must never act as that user
        TestUser victim = TestUsers.create("forged-owner");
        String sid = appUpload(fixture(), "f.jsonl", victim.token()).then().statusCode(200).extract().path("session_id");
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(
                "update public.datasets set owner_is_anonymous = true, expires_at = now() + interval '1 day' where session_id = ?")) {
            ps.setString(1, sid);
            ps.executeUpdate();
        }
        analyze(sid, null).then().statusCode(404).body("detail", equalTo(SESSION_404));
        get("/slmgen/preview/" + sid, null).then().statusCode(404).body("detail", equalTo("Session not found"));
        get("/slmgen/preview/" + sid + "/duplicates", null).then().statusCode(404);
        // what catalog-service and jobs-service ask (slmgen-domain's SessionResolver): not anonymous
        given().header("Authorization", "Bearer " + SERVICE).get("/api/datasets/session-owner/" + sid).then()
                .statusCode(200).body("user_id", equalTo(victim.id().toString())).body("owner_is_anonymous", equalTo(false));
        // the owner still reaches it with their token
        analyze(sid, victim.token()).then().statusCode(200);

        // a real anonymous session whose user has since become a permanent user: the token is needed now
        String anonSid = appUpload(fixture(), "a.jsonl", null).then().statusCode(200).extract().path("session_id");
        analyze(anonSid, null).then().statusCode(200);
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(
                "update auth.users set is_anonymous = false where id = ?")) {
            ps.setObject(1, row(anonSid).get("user_id"));
            ps.executeUpdate();
        }
        analyze(anonSid, null).then().statusCode(404).body("detail", equalTo(SESSION_404));
        given().header("Authorization", "Bearer " + SERVICE).get("/api/datasets/session-owner/" + anonSid).then()
                .statusCode(200).body("owner_is_anonymous", equalTo(false));
    }

    @Test
    void duplicatesAreServedFromTheUploadWithoutReadingTheObject() throws Exception {
        String sid = appUpload(fixture(), "dup.jsonl", null).then().statusCode(200).extract().path("session_id");
        UUID owner = (UUID) row(sid).get("user_id");
        assertEquals(4L, count("select duplicate_count from public.datasets where session_id = ?", sid));
        long reads = StubStorage.CALLS.stream().filter(c -> c.method().equals("GET") && c.path().startsWith(owner + "/")).count();
        for (int i = 0; i < 3; i++) {
            get("/slmgen/preview/" + sid + "/duplicates", null).then().statusCode(200)
                    .body("count", equalTo(4)).body("examples", equalTo(List.of(56, 57, 58, 59)));
        }
        assertEquals(reads, StubStorage.CALLS.stream().filter(c -> c.method().equals("GET") && c.path().startsWith(owner + "/")).count(),
                "the listing comes from the row, not from the object");

        // a row without a stored listing (written through /rest/v1) gets it computed once, then stored
        TestUser u = TestUsers.create("dup-client-row");
        String path = u.id() + "/client/dup.jsonl";
        byte[] bytes = fixture();
        StubStorage.OBJECTS.put(path, new StubStorage.Stored(bytes.length, "", bytes));
        String clientSid = restInsert(u, seedRow(u, path)).then().statusCode(201).extract().path("[0].session_id");
        for (int i = 0; i < 3; i++) {
            get("/slmgen/preview/" + clientSid + "/duplicates", u.token()).then().statusCode(200)
                    .body("count", equalTo(4)).body("examples", equalTo(List.of(56, 57, 58, 59)));
        }
        assertEquals(1, StubStorage.CALLS.stream().filter(c -> c.method().equals("GET") && c.path().equals(path)).count());
        assertEquals(4L, count("select duplicate_count from public.datasets where session_id = ?", clientSid));
    }

    // ---------- /rest/v1 (shared-postgrest) ----------

    @Test
    void restV1ShowsOnlyTheCallersRows() {
        TestUser a = TestUsers.create("rest-a");
        TestUser b = TestUsers.create("rest-b");
        String sa = appUpload(simple(60), "a.jsonl", a.token()).then().statusCode(200).extract().path("session_id");
        String sb = appUpload(simple(60), "b.jsonl", b.token()).then().statusCode(200).extract().path("session_id");
        Response ra = given().header("Authorization", a.bearer()).header("apikey", ANON).get("/rest/v1/datasets?select=*");
        ra.then().statusCode(200);
        List<Map<String, Object>> rows = ra.jsonPath().getList("$");
        assertEquals(1, rows.size());
        assertEquals(sa, rows.get(0).get("session_id"));
        assertEquals(a.id().toString(), rows.get(0).get("user_id"));
        assertFalse(rows.stream().anyMatch(r -> sb.equals(r.get("session_id"))));
        given().header("Authorization", b.bearer()).header("apikey", ANON)
                .get("/rest/v1/datasets?select=session_id").then().statusCode(200).body("session_id", equalTo(List.of(sb)));
        given().header("apikey", ANON).get("/rest/v1/datasets?select=*").then().statusCode(200).body("size()", equalTo(0));
        assertNotNull(sa);
    }
}
