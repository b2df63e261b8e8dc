package io.slmgen.storage.objects;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Object and bucket names (SPEC §9): decoded from the raw request path exactly once, then validated.
 * Names never become filesystem paths (blobs are stored by version id), so this is about clean keys
 * that every client and policy sees the same way.
 */
public final class ObjectNames {

    public static final int MAX_NAME_BYTES = 1024;
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,99}");

    private ObjectNames() {
    }

    /** A bucket id: letters, digits, '_', '-', '.', never "." or "..". */
    public static String bucket(String id) {
        if (id == null || !BUCKET.matcher(id).matches() || id.contains("..")) {
            throw StorageError.INVALID_BUCKET_NAME.exception();
        }
        return id;
    }

    /** Validates an already-decoded object name. */
    public static String name(String name) {
        if (name == null || name.isEmpty()) {
            throw StorageError.INVALID_KEY.exception("Invalid key: ");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw StorageError.INVALID_KEY.exception("Invalid key: name longer than " + MAX_NAME_BYTES + " bytes");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || (c >= 0x80 && c <= 0x9f)) {
                throw StorageError.INVALID_KEY.exception("Invalid key: " + printable(name));
            }
        }
        if (name.startsWith("/") || name.endsWith("/")) {
            throw StorageError.INVALID_KEY.exception("Invalid key: " + printable(name));
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw StorageError.INVALID_KEY.exception("Invalid key: " + printable(name));
            }
        }
        return name;
    }

    /** A prefix for listing: like a name, but may be empty and may end with '/'. */
    public static String prefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String p = prefix.startsWith("/") ? prefix.substring(1) : prefix;
        String body = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        if (body.isEmpty()) {
            return "";
        }
        name(body);
        return body + "/";
    }

    /** Decodes %XX escapes once ('+' stays '+', as in a URL path); malformed escapes are rejected. */
    public static String decodePath(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw StorageError.INVALID_KEY.exception("Invalid key: " + printable(raw));
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw StorageError.INVALID_KEY.exception("Invalid key: " + printable(raw));
                }
                out.write((hi << 4) | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        byte[] bytes = out.toByteArray();
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw StorageError.INVALID_KEY.exception("Invalid key: " + printable(raw));
        }
    }

    /** Splits "bucket/some/name" (raw, from the URL) into a validated bucket and a validated name. */
    public static String[] bucketAndName(String rawRest) {
        int slash = rawRest.indexOf('/');
        if (slash <= 0) {
            throw StorageError.INVALID_KEY.exception("Invalid key: " + printable(rawRest));
        }
        String bucket = bucket(decodePath(rawRest.substring(0, slash)));
        String name = name(decodePath(rawRest.substring(slash + 1)));
        return new String[] {bucket, name};
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
