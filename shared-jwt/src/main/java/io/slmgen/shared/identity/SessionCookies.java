package io.slmgen.shared.identity;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the session that {@code @supabase/ssr} keeps in cookies (SPEC §15), so the unchanged SLMGEN web
 * app, served from the gateway's origin, calls {@code /slmgen/*} with plain {@code fetch} as the signed-in
 * person. Pure functions; {@link CallerFilter} decides when they apply.
 *
 * <p>What the browser client writes (read from @supabase/ssr and supabase-js):
 * <ul>
 * <li>the cookie is named after supabase-js's storage key, {@code sb-<first label of the Supabase URL's
 * host>-auth-token}: {@code sb-127-auth-token} for {@code http://127.0.0.1:8080}, {@code
 * sb-localhost-auth-token} for {@code http://localhost:8080}, {@code sb-abcd-auth-token} for
 * {@code https://abcd.supabase.co} (the port never counts);</li>
 * <li>its value is {@code base64-} + base64url (no padding) of the session JSON, or - as older versions
 * wrote - the JSON itself; either is URL-encoded on the wire ({@code encodeURIComponent});</li>
 * <li>a value longer than 3180 encoded characters is split into {@code <name>.0}, {@code <name>.1}, …
 * read in order until one is missing; an unsplit {@code <name>} cookie with a value wins over chunks.</li>
 * </ul>
 * The access token inside is only a claim: the caller verifies it like any bearer token.
 */
public final class SessionCookies {

    static final String BASE64_PREFIX = "base64-";
    /** More chunks than any real session needs (a cookie header is bounded anyway). */
    static final int MAX_CHUNKS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SessionCookies() {
    }

    /** supabase-js's default storage key for this Supabase URL, which @supabase/ssr uses as the cookie name. */
    public static String cookieName(String supabaseUrl) {
        String host = URI.create(supabaseUrl.trim()).getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("the Supabase URL has no host: " + supabaseUrl);
        }
        // URL.hostname in the browser is lower case; split('.')[0] is the first label
        String lower = host.toLowerCase(Locale.ROOT);
        int dot = lower.indexOf('.');
        return "sb-" + (dot < 0 ? lower : lower.substring(0, dot)) + "-auth-token";
    }

    /**
     * The access token of the session in {@code cookieHeaders} (each the value of one {@code Cookie}
     * header) under {@code name}, if there is a well-formed one.
     */
    public static Optional<String> accessToken(List<String> cookieHeaders, String name) {
        return sessionJson(parse(cookieHeaders), name).flatMap(SessionCookies::accessTokenOf);
    }

    /** The cookies of a request, name → first value sent (the browser sends the most specific path first). */
    static Map<String, String> parse(List<String> cookieHeaders) {
        Map<String, String> cookies = new LinkedHashMap<>();
        if (cookieHeaders == null) {
            return cookies;
        }
        for (String header : cookieHeaders) {
            if (header == null) {
                continue;
            }
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (!name.isEmpty()) {
                    cookies.putIfAbsent(name, value);
                }
            }
        }
        return cookies;
    }

    /** The session JSON under {@code name}: the unsplit cookie, else its chunks in order; decoded. */
    static Optional<String> sessionJson(Map<String, String> cookies, String name) {
        String whole = cookies.get(name);
        String value;
        if (whole != null && !whole.isEmpty()) {
            value = uriDecode(whole);
        } else {
            StringBuilder joined = new StringBuilder();
            for (int i = 0; i < MAX_CHUNKS; i++) {
                String chunk = cookies.get(name + "." + i);
                if (chunk == null || chunk.isEmpty()) {
                    break;
                }
                String decoded = uriDecode(chunk);
                if (decoded == null) {
                    return Optional.empty();
                }
                joined.append(decoded);
            }
            value = joined.isEmpty() ? null : joined.toString();
        }
        if (value == null) {
            return Optional.empty();
        }
        if (!value.startsWith(BASE64_PREFIX)) {
            return Optional.of(value);
        }
        try {
            // as @supabase/ssr's decoder: whitespace and padding are skipped
            String b64 = value.substring(BASE64_PREFIX.length()).replaceAll("[ \\t\\n\\r=]", "");
            return Optional.of(new String(Base64.getUrlDecoder().decode(b64), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code access_token} of the session object; also the first element of the array that the older
     * auth-helpers wrote ({@code [access_token, refresh_token, …]}).
     */
    static Optional<String> accessTokenOf(String json) {
        try {
            JsonNode session = JSON.readTree(json);
            JsonNode token = session == null ? null
                    : session.isObject() ? session.get("access_token")
                    : session.isArray() && !session.isEmpty() ? session.get(0) : null;
            return token != null && token.isTextual() && !token.asText().isBlank()
                    ? Optional.of(token.asText()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** decodeURIComponent: percent-escapes only ('+' stays '+'); null for a malformed value. */
    static String uriDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out[n++] = (byte) ((hi << 4) | lo);
                i += 2;
            } else if (c < 0x80) {
                out[n++] = (byte) c;
            } else {
                return null; // a cookie value is ASCII
            }
        }
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(out, 0, n)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    // ---- the CSRF guard ----

    /**
     * The origins a cookie session is honoured from: the gateway's own (SUPABASE_URL's origin) and the
     * configured frontend origins. A {@code *} entry (FRONTEND_ORIGIN's "any origin" for CORS) is
     * dropped: a wildcard would let any site ride the user's cookies.
     */
    public static Set<String> allowedOrigins(String supabaseUrl, List<String> configured) {
        Set<String> origins = new LinkedHashSet<>();
        origin(supabaseUrl).ifPresent(origins::add);
        for (String o : configured == null ? List.<String>of() : configured) {
            for (String part : o.split(",")) {
                String p = part.trim();
                if (!p.isEmpty() && !p.equals("*")) {
                    origin(p).ifPresent(origins::add);
                }
            }
        }
        return origins;
    }

    /**
     * Whether the request comes from a page of an allowed origin: its {@code Origin} header, or without
     * one its {@code Referer}'s origin. Neither (or {@code Origin: null}) → not allowed.
     */
    public static boolean fromAllowedOrigin(String originHeader, String referer, Set<String> allowed) {
        String source = originHeader != null && !originHeader.isBlank() ? originHeader.trim()
                : referer != null && !referer.isBlank() ? referer.trim() : null;
        if (source == null) {
            return false;
        }
        return origin(source).map(allowed::contains).orElse(false);
    }

    /** scheme://host[:port] of a URL, lower case, without the scheme's default port; empty if it has none. */
    static Optional<String> origin(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme();
            String host = u.getHost();
            if (scheme == null || host == null || u.getRawUserInfo() != null) {
                return Optional.empty();
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return Optional.empty();
            }
            int port = u.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return Optional.of(scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
