package io.slmgen.storage.objects;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a browser may do with an object we serve (SPEC §9 "Content safety"). Objects are served from
 * the gateway's origin, where the console keeps its supabase-js session, so a stored type a browser
 * would run (HTML, SVG, XML, JavaScript, ...) must never come back as an active page. Every download
 * carries {@code X-Content-Type-Options: nosniff} (the browser keeps to the declared type); a type
 * outside {@link #servedInline the safe list} also gets {@link #SANDBOX} and is served as an
 * attachment, so it is downloaded, and even if opened it has no origin, no scripts and no subresources.
 *
 * <p>The safe list, decided type by type: raster images (not SVG, which is an XML document that runs
 * scripts), audio and video (played by the media element, never parsed as a document), plain text,
 * CSV, JSON and its line-delimited and notebook forms (shown as text, or by the JSON viewer), and
 * {@code application/octet-stream} (always downloaded). PDF is not on the list: the browsers' PDF viewers
 * run the document's scripts and a CSP sandbox breaks Chrome's viewer, so a PDF is downloaded.
 * Anything else - including every unknown or malformed type - is treated as active.
 */
public final class ContentSafety {

    /** Served with every object a browser would otherwise run: no origin, no scripts, nothing loaded. */
    public static final String SANDBOX = "default-src 'none'; sandbox";

    /** RFC 9110 {@code type "/" subtype}, both tokens, lower case (what {@link #normalize} produces). */
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9!#$&^_.+\\-]{1,127}/[a-z0-9!#$&^_.+\\-]{1,127}");

    private static final Set<String> INLINE_IMAGES = Set.of("image/png", "image/jpeg", "image/pjpeg", "image/gif",
            "image/webp", "image/avif", "image/apng", "image/bmp", "image/x-icon", "image/vnd.microsoft.icon",
            "image/tiff", "image/heic", "image/heif");

    private static final Set<String> INLINE_DATA = Set.of("text/plain", "text/csv", "application/json",
            "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/x-ipynb+json",
            "application/octet-stream");

    private ContentSafety() {
    }

    /**
     * The media type of a Content-Type value: parameters dropped, trimmed, lower case;
     * {@code application/octet-stream} when absent. Not validated (see {@link #isValid}).
     */
    public static String normalize(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return "application/octet-stream";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** Whether a normalized media type is well-formed ({@code type/subtype}, tokens only). */
    public static boolean isValid(String mediaType) {
        return mediaType != null && MEDIA_TYPE.matcher(mediaType).matches();
    }

    /**
     * Whether objects of this stored type may be shown inline by a browser (with nosniff). Anything a
     * browser would parse as a document or run - and anything not known to be safe - is not.
     */
    public static boolean servedInline(String storedType) {
        String t = normalize(storedType);
        if (!isValid(t)) {
            return false;
        }
        if (INLINE_IMAGES.contains(t) || INLINE_DATA.contains(t)) {
            return true;
        }
        // media elements play these; an XML-based subtype (e.g. a DASH manifest) is a document instead
        return (t.startsWith("audio/") || t.startsWith("video/")) && !t.contains("xml") && !t.contains("html");
    }

    /** The Content-Type to send for a stored type: itself when well-formed, else {@code application/octet-stream}. */
    public static String servedType(String storedType) {
        String t = normalize(storedType);
        return isValid(t) ? t : "application/octet-stream";
    }

    /**
     * {@code attachment} with the file name both as a plain ASCII fallback (quotes, backslashes and
     * control characters replaced) and RFC 8187-encoded, so no name can break out of the header.
     */
    public static String attachment(String fileName) {
        String name = fileName == null || fileName.isBlank() ? "download" : fileName;
        StringBuilder ascii = new StringBuilder(name.length());
        StringBuilder encoded = new StringBuilder(name.length() * 3);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int v = b & 0xff;
            if ((v >= 'a' && v <= 'z') || (v >= 'A' && v <= 'Z') || (v >= '0' && v <= '9') || "!#$&+-.^_`|~".indexOf(v) >= 0) {
                encoded.append((char) v);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(v >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(v & 0xf, 16)));
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
