package io.slmgen.storage.objects;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A streaming multipart/form-data reader: parts are handed out one at a time with a body stream that
 * ends at the next boundary, so a file part is never held in memory (storage-js sends its Blob/File
 * uploads this way, the file under an empty field name).
 */
public final class MultipartReader {

    /** One part; read {@link #body()} before asking for the next part (or leave it to be skipped). */
    public record Part(String name, String filename, String contentType, InputStream body) {
        public boolean isFile() {
            return filename != null || (name != null && name.isEmpty());
        }
    }

    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf = new byte[128 * 1024];
    private int pos;
    private int lim;
    private boolean eof;
    private boolean finished;
    private PartStream current;

    public MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // the first boundary has no CRLF before it: pretend it has, so the preamble is just a part body
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
        current = new PartStream();
    }

    /** The boundary parameter of a multipart Content-Type, or null. */
    public static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring(9).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                return b.isEmpty() || b.length() > 200 ? null : b;
            }
        }
        return null;
    }

    /** The next part, or null after the closing boundary. */
    public Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (current != null) {
            current.skipRest();
        }
        int a = readByte();
        int b = readByte();
        if (a == '-' && b == '-') {
            finished = true;
            return null;
        }
        while (!(a == '\r' && b == '\n')) { // transport padding before the CRLF
            if (b < 0 || (a != ' ' && a != '\t')) {
                throw malformed();
            }
            a = b;
            b = readByte();
        }
        Map<String, String> headers = readHeaders();
        String disposition = headers.getOrDefault("content-disposition", "");
        Map<String, String> params = params(disposition);
        current = new PartStream();
        return new Part(params.get("name"), params.get("filename"), headers.get("content-type"), current);
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        while (true) {
            int c = readByte();
            if (c < 0 || ++total > MAX_HEADER_BYTES) {
                throw malformed();
            }
            if (c == '\n') {
                String l = line.toString(StandardCharsets.UTF_8);
                if (l.endsWith("\r")) {
                    l = l.substring(0, l.length() - 1);
                }
                if (l.isEmpty()) {
                    return headers;
                }
                int colon = l.indexOf(':');
                if (colon > 0) {
                    headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
                }
                line.reset();
            } else {
                line.write(c);
            }
        }
    }

    static Map<String, String> params(String disposition) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = disposition.indexOf(';');
        while (i >= 0 && i < disposition.length()) {
            int eq = disposition.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = disposition.substring(i + 1, eq).trim().toLowerCase(Locale.ROOT);
            int j = eq + 1;
            String value;
            if (j < disposition.length() && disposition.charAt(j) == '"') {
                StringBuilder v = new StringBuilder();
                j++;
                while (j < disposition.length() && disposition.charAt(j) != '"') {
                    char c = disposition.charAt(j);
                    if (c == '\\' && j + 1 < disposition.length()) {
                        c = disposition.charAt(++j);
                    }
                    v.append(c);
                    j++;
                }
                value = v.toString();
                j = disposition.indexOf(';', j);
            } else {
                int end = disposition.indexOf(';', j);
                value = disposition.substring(j, end < 0 ? disposition.length() : end).trim();
                j = end;
            }
            out.put(key, value);
            i = j;
        }
        return out;
    }

    private int readByte() throws IOException {
        if (pos >= lim && !fill(1)) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    /** Makes at least {@code want} bytes available unless the input ends first. */
    private boolean fill(int want) throws IOException {
        if (lim - pos >= want) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        while (lim < want && !eof) {
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                eof = true;
            } else {
                lim += n;
            }
        }
        return lim - pos >= want;
    }

    private int indexOfDelimiter() {
        int last = lim - delimiter.length;
        outer:
        for (int i = pos; i <= last; i++) {
            if (buf[i] != delimiter[0]) {
                continue;
            }
            for (int k = 1; k < delimiter.length; k++) {
                if (buf[i + k] != delimiter[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static IOException malformed() {
        return new MalformedMultipartException();
    }

    /** The body is not valid multipart/form-data. */
    public static final class MalformedMultipartException extends IOException {
        MalformedMultipartException() {
            super("malformed multipart body", null);
        }
    }

    private final class PartStream extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            fill(delimiter.length);
            int idx = indexOfDelimiter();
            if (idx == pos) {
                pos += delimiter.length;
                done = true;
                return -1;
            }
            int safe;
            if (idx >= 0) {
                safe = idx;
            } else if (lim - pos < delimiter.length) {
                throw malformed(); // input ended inside a part
            } else {
                safe = lim - delimiter.length + 1;
            }
            int n = Math.min(len, safe - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        void skipRest() throws IOException {
            byte[] scratch = new byte[8192];
            while (read(scratch, 0, scratch.length) >= 0) {
                // discard
            }
        }
    }
}
