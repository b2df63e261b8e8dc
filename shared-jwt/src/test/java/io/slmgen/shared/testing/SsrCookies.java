package io.slmgen.shared.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Writes session cookies the way @supabase/ssr's browser client does (src/cookies.ts and
 * src/utils/chunker.ts of supabase/ssr), for tests of the services' cookie sessions: the session JSON,
 * {@code base64-} + base64url without padding (or the raw JSON of older versions), split into
 * {@code <name>.0 … .N} when its URL-encoded form is longer than 3180 characters, each chunk value
 * URL-encoded as {@code document.cookie = serialize(name, value)} sends it.
 */
public final class SsrCookies {

    public static final int MAX_CHUNK_SIZE = 3180;

    private SsrCookies() {
    }

    /** The session auth-js stores after a sign-in; {@code padding} long user metadata makes it big. */
    public static String session(String accessToken, String userId, int padding) {
        long now = System.currentTimeMillis() / 1000;
        return "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"bearer\",\"expires_in\":3600,"
                + "\"expires_at\":" + (now + 3600) + ",\"refresh_token\":\"r3fr3sh-t0ken\",\"user\":{\"id\":\"" + userId
                + "\",\"aud\":\"authenticated\",\"role\":\"authenticated\",\"user_metadata\":{\"bio\":\""
                + "é ü; =,".repeat(padding) + "\"}}}";
    }

    public static String base64(String json) {
        return "base64-" + Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code Cookie} header pairs for {@code value} stored under {@code name}, chunked as ssr does. */
    public static List<String> pairs(String name, String value) {
        String encoded = encodeURIComponent(value);
        List<String> out = new ArrayList<>();
        if (encoded.length() <= MAX_CHUNK_SIZE) {
            out.add(name + "=" + encoded);
            return out;
        }
        int i = 0;
        while (!encoded.isEmpty()) {
            String head = encoded.substring(0, Math.min(MAX_CHUNK_SIZE, encoded.length()));
            int lastEscape = head.lastIndexOf('%');
            if (lastEscape > MAX_CHUNK_SIZE - 3) {
                head = head.substring(0, lastEscape); // never cut an escape in two
            }
            // (ssr also steps back over a cut multi-byte character; escapes of one character are
            // contiguous here, so a chunk that decodes is what it would send)
            while (!decodes(head)) {
                head = head.substring(0, head.length() - 3);
            }
            out.add(name + "." + i++ + "=" + head);
            encoded = encoded.substring(head.length());
        }
        return out;
    }

    /** One Cookie header with these pairs and some unrelated cookies around them. */
    public static String header(List<String> pairs) {
        List<String> all = new ArrayList<>();
        all.add("theme=dark");
        all.addAll(pairs);
        all.add("_ga=GA1.1.123.456");
        return String.join("; ", all);
    }

    static boolean decodes(String encoded) {
        try {
            java.net.URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
            byte[] bytes = java.net.URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.ISO_8859_1)
                    .getBytes(StandardCharsets.ISO_8859_1);
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** JavaScript's encodeURIComponent. */
    public static String encodeURIComponent(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.!~*'()".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}
