package io.slmgen.shared.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.slmgen.shared.testing.SsrCookies;

class SessionCookiesTest {

    static final String NAME = "sb-127-auth-token";
    static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln";

    static Optional<String> token(String... headers) {
        return SessionCookies.accessToken(List.of(headers), NAME);
    }

    @Test
    void theCookieIsNamedAfterTheFirstLabelOfTheSupabaseUrlsHostAsSupabaseJsNamesItsStorageKey() {
        assertEquals("sb-127-auth-token", SessionCookies.cookieName("http://127.0.0.1:8080"));
        assertEquals("sb-localhost-auth-token", SessionCookies.cookieName("http://localhost:8080/"));
        assertEquals("sb-abcdefghijklmnop-auth-token", SessionCookies.cookieName("https://abcdefghijklmnop.supabase.co"));
        assertEquals("sb-api-auth-token", SessionCookies.cookieName("https://API.Example.com/base"));
    }

    @Test
    void readsAnUnsplitBase64Session() {
        String json = SsrCookies.session(TOKEN, "u1", 0);
        List<String> pairs = SsrCookies.pairs(NAME, SsrCookies.base64(json));
        assertEquals(1, pairs.size());
        assertEquals(Optional.of(TOKEN), token(SsrCookies.header(pairs)));
    }

    @Test
    void readsAChunkedBase64SessionInChunkOrder() {
        String value = SsrCookies.base64(SsrCookies.session(TOKEN, "u1", 900));
        List<String> pairs = SsrCookies.pairs(NAME, value);
        assertTrue(pairs.size() >= 3, "a big session is split: " + pairs.size());
        assertTrue(pairs.get(0).startsWith(NAME + ".0=base64-"));
        assertEquals(Optional.of(TOKEN), token(SsrCookies.header(pairs)));
        // chunks may arrive in any order and over several Cookie headers
        List<String> shuffled = new ArrayList<>(pairs);
        java.util.Collections.reverse(shuffled);
        assertEquals(Optional.of(TOKEN), token(shuffled.get(0), SsrCookies.header(shuffled.subList(1, shuffled.size()))));
        // a missing chunk ends the value: what is left is not a session
        assertEquals(Optional.empty(), token(SsrCookies.header(List.of(pairs.get(0), pairs.get(2)))));
    }

    @Test
    void readsThePlainUrlEncodedJsonOfOlderVersionsUnsplitAndChunked() {
        String small = SsrCookies.session(TOKEN, "u1", 0);
        assertEquals(Optional.of(TOKEN), token(SsrCookies.header(SsrCookies.pairs(NAME, small))));
        List<String> chunks = SsrCookies.pairs(NAME, SsrCookies.session(TOKEN, "u1", 400));
        assertTrue(chunks.size() >= 2);
        assertEquals(Optional.of(TOKEN), token(SsrCookies.header(chunks)));
        // the auth-helpers' array: [access_token, refresh_token, ...]
        assertEquals(Optional.of(TOKEN), token(NAME + "=" + SsrCookies.encodeURIComponent("[\"" + TOKEN + "\",\"r\",null]")));
        // a quoted cookie value
        assertEquals(Optional.of(TOKEN), token(NAME + "=\"" + SsrCookies.base64(small) + "\""));
    }

    @Test
    void anUnsplitCookieWithAValueWinsOverChunks() {
        List<String> pairs = new ArrayList<>(SsrCookies.pairs(NAME, SsrCookies.base64(SsrCookies.session("other", "u2", 900))));
        pairs.add(NAME + "=" + SsrCookies.base64(SsrCookies.session(TOKEN, "u1", 0)));
        assertEquals(Optional.of(TOKEN), token(SsrCookies.header(pairs)));
        // an empty unsplit cookie does not hide the chunks
        List<String> chunks = new ArrayList<>(SsrCookies.pairs(NAME, SsrCookies.base64(SsrCookies.session(TOKEN, "u1", 900))));
        chunks.add(NAME + "=");
        assertEquals(Optional.of(TOKEN), token(SsrCookies.header(chunks)));
    }

    @Test
    void anythingElseIsNoSession() {
        assertEquals(Optional.empty(), token());
        assertEquals(Optional.empty(), token("theme=dark"));
        assertEquals(Optional.empty(), token("sb-other-auth-token=" + SsrCookies.base64(SsrCookies.session(TOKEN, "u", 0))));
        assertEquals(Optional.empty(), token(NAME + "=base64-!!!notbase64"));
        assertEquals(Optional.empty(), token(NAME + "=" + SsrCookies.base64("not json")));
        assertEquals(Optional.empty(), token(NAME + "=" + SsrCookies.base64("{\"access_token\":42}")));
        assertEquals(Optional.empty(), token(NAME + "=" + SsrCookies.base64("{\"refresh_token\":\"r\"}")));
        assertEquals(Optional.empty(), token(NAME + "=%7B%ZZ"));
        assertEquals(Optional.empty(), token(NAME + "=%E9%7D"), "not UTF-8");
        assertEquals(Optional.empty(), token(NAME + ".0=" + SsrCookies.base64("{\"access_token\":\"x")));
    }

    @Test
    void cookieSessionsOnlyFromTheGatewaysOwnOriginOrAllowedFrontends() {
        Set<String> allowed = SessionCookies.allowedOrigins("http://127.0.0.1:8080/",
                List.of("https://app.example.com, *", "http://LOCALHOST:3000"));
        assertEquals(Set.of("http://127.0.0.1:8080", "https://app.example.com", "http://localhost:3000"), allowed);

        assertTrue(SessionCookies.fromAllowedOrigin("http://127.0.0.1:8080", null, allowed));
        assertTrue(SessionCookies.fromAllowedOrigin("https://app.example.com:443", null, allowed));
        assertTrue(SessionCookies.fromAllowedOrigin("http://localhost:3000", null, allowed));
        // no Origin: the Referer's origin decides
        assertTrue(SessionCookies.fromAllowedOrigin(null, "http://127.0.0.1:8080/dashboard/new?step=2", allowed));
        assertTrue(SessionCookies.fromAllowedOrigin("", "https://app.example.com/", allowed));

        assertFalse(SessionCookies.fromAllowedOrigin(null, null, allowed), "neither header");
        assertFalse(SessionCookies.fromAllowedOrigin("null", "http://127.0.0.1:8080/", allowed), "Origin: null (sandboxed)");
        assertFalse(SessionCookies.fromAllowedOrigin("https://evil.example", "http://127.0.0.1:8080/", allowed),
                "a foreign Origin is not rescued by a Referer");
        assertFalse(SessionCookies.fromAllowedOrigin("http://app.example.com", null, allowed), "other scheme");
        assertFalse(SessionCookies.fromAllowedOrigin("https://app.example.com.evil.test", null, allowed));
        assertFalse(SessionCookies.fromAllowedOrigin("http://127.0.0.1:8081", null, allowed), "other port");
        assertFalse(SessionCookies.fromAllowedOrigin(null, "https://evil.example/?r=http://127.0.0.1:8080", allowed));
        assertFalse(SessionCookies.fromAllowedOrigin("http://127.0.0.1:8080, https://evil.example", null, allowed),
                "two Origin headers");
        // "*" (FRONTEND_ORIGIN's any-origin for CORS) allows no one's cookies
        assertEquals(Set.of("http://127.0.0.1:8080"), SessionCookies.allowedOrigins("http://127.0.0.1:8080", List.of("*")));
    }
}
