package io.slmgen.datasets.analysis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * Parses one stripped line into an example and validates it with SLMGEN's rules (SPEC §8.1), in
 * SLMGEN's order so the first failing rule names the reason. Strict JSON through Jackson's streaming
 * parser (no tree): NaN/Infinity, comments, single quotes, trailing data are invalid; with duplicate
 * keys the last one wins, as in Python's {@code json.loads}. The parsed messages live in reusable
 * arrays owned by this parser and are valid until the next {@link #parse} call. Not thread-safe.
 */
public final class ExampleParser {

    static final byte KIND_DICT = 0;
    static final byte KIND_NOT_DICT = 1;

    static final byte ROLE_USER = 0;
    static final byte ROLE_ASSISTANT = 1;
    static final byte ROLE_SYSTEM = 2;
    static final byte ROLE_INVALID = 3;

    // Python's json accepts numbers of any length (ints up to 4300 digits); Jackson's default cap is 1000.
    // Strings and nesting keep Jackson's defaults (20 M chars > the line cap; depth 1000 ≈ Python's recursion limit).
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(Integer.MAX_VALUE).build())
            .build();

    private enum Messages { MISSING, NOT_ARRAY, ARRAY }

    private Messages messages;
    private int count;
    private byte[] kind = new byte[8];
    private byte[] role = new byte[8];
    private String[] roleText = new String[8];
    private boolean[] contentIsString = new boolean[8];
    private char[][] content = new char[8][];
    private int[] contentLen = new int[8];
    private String reason;

    public ExampleParser() {
        for (int i = 0; i < content.length; i++) {
            content[i] = new char[64];
        }
    }

    /** Parses and validates; false with {@link #reason()} when the line is not a valid example. */
    public boolean parse(byte[] b, int off, int len) {
        messages = Messages.MISSING;
        count = 0;
        reason = null;
        boolean isObject;
        try (JsonParser p = FACTORY.createParser(b, off, len)) {
            JsonToken t = p.nextToken();
            isObject = t == JsonToken.START_OBJECT;
            if (isObject) {
                parseEntry(p);
            } else {
                p.skipChildren();
            }
            if (p.nextToken() != null) {
                reason = "Invalid JSON: extra data after the value";
                return false;
            }
        } catch (JsonProcessingException e) {
            reason = "Invalid JSON: " + shorten(e.getOriginalMessage());
            return false;
        } catch (IOException | RuntimeException e) {
            reason = "Invalid JSON: " + shorten(e.getMessage());
            return false;
        }
        if (!isObject) {
            reason = "must be a JSON object";
            return false;
        }
        return validate();
    }

    public String reason() {
        return reason;
    }

    public int messageCount() {
        return count;
    }

    /** Role of message i of the last valid example: 0 user, 1 assistant, 2 system. */
    public byte role(int i) {
        return role[i];
    }

    public char[] content(int i) {
        return content[i];
    }

    public int contentLength(int i) {
        return contentLen[i];
    }

    /** The last valid example as immutable messages. */
    public List<Example.Message> messages() {
        List<Example.Message> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(new Example.Message(Role.values()[role[i]].wire(), new String(content[i], 0, contentLen[i])));
        }
        return out;
    }

    private void parseEntry(JsonParser p) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("messages".equals(name)) {
                parseMessages(p, v); // a later "messages" key replaces an earlier one
            } else {
                p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IOException("unexpected token " + t);
        }
    }

    private void parseMessages(JsonParser p, JsonToken v) throws IOException {
        count = 0;
        if (v != JsonToken.START_ARRAY) {
            messages = Messages.NOT_ARRAY;
            p.skipChildren();
            return;
        }
        messages = Messages.ARRAY;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new IOException("unexpected end of input");
            }
            int i = add();
            if (t == JsonToken.START_OBJECT) {
                kind[i] = KIND_DICT;
                parseMessage(p, i);
            } else {
                kind[i] = KIND_NOT_DICT;
                p.skipChildren();
            }
        }
    }

    private void parseMessage(JsonParser p, int i) throws IOException {
        role[i] = ROLE_INVALID;
        roleText[i] = "None";
        contentIsString[i] = false;
        contentLen[i] = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if ("role".equals(name)) {
                if (v == JsonToken.VALUE_STRING) {
                    byte known = knownRole(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    role[i] = known;
                    roleText[i] = known == ROLE_INVALID ? p.getText() : null;
                } else {
                    role[i] = ROLE_INVALID;
                    roleText[i] = pythonish(p, v);
                    p.skipChildren();
                }
            } else if ("content".equals(name)) {
                if (v == JsonToken.VALUE_STRING) {
                    int n = p.getTextLength();
                    if (content[i].length < n) {
                        content[i] = new char[Math.max(n, content[i].length * 2)];
                    }
                    System.arraycopy(p.getTextCharacters(), p.getTextOffset(), content[i], 0, n);
                    contentLen[i] = n;
                    contentIsString[i] = true;
                } else {
                    contentIsString[i] = false;
                    p.skipChildren();
                }
            } else {
                p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IOException("unexpected token " + t);
        }
    }

    private static final char[] USER = "user".toCharArray();
    private static final char[] ASSISTANT = "assistant".toCharArray();
    private static final char[] SYSTEM = "system".toCharArray();

    /** The role for exactly "user", "assistant" or "system" (no allocation), else ROLE_INVALID. */
    private static byte knownRole(char[] c, int off, int len) {
        if (len == 4 && Arrays.equals(c, off, off + 4, USER, 0, 4)) {
            return ROLE_USER;
        }
        if (len == 9 && Arrays.equals(c, off, off + 9, ASSISTANT, 0, 9)) {
            return ROLE_ASSISTANT;
        }
        if (len == 6 && Arrays.equals(c, off, off + 6, SYSTEM, 0, 6)) {
            return ROLE_SYSTEM;
        }
        return ROLE_INVALID;
    }

    private boolean validate() {
        if (messages != Messages.ARRAY) {
            reason = "missing or invalid 'messages' array";
            return false;
        }
        if (count < 2) {
            reason = "need at least 2 messages (got " + count + ")";
            return false;
        }
        boolean user = false;
        boolean assistant = false;
        for (int i = 0; i < count; i++) {
            if (kind[i] != KIND_DICT) {
                reason = "message " + i + ": message must be a Dict";
                return false;
            }
            if (role[i] == ROLE_INVALID) {
                reason = "message " + i + ": invalid role: " + shorten(roleText[i]);
                return false;
            }
            if (!contentIsString[i]) {
                reason = "message " + i + ": content must be a String";
                return false;
            }
            user |= role[i] == ROLE_USER;
            assistant |= role[i] == ROLE_ASSISTANT;
        }
        if (!user) {
            reason = "must have at least one user message";
            return false;
        }
        if (!assistant) {
            reason = "must have at least one assistant message";
            return false;
        }
        return true;
    }

    private int add() {
        if (count == kind.length) {
            int n = count * 2;
            kind = Arrays.copyOf(kind, n);
            role = Arrays.copyOf(role, n);
            roleText = Arrays.copyOf(roleText, n);
            contentIsString = Arrays.copyOf(contentIsString, n);
            contentLen = Arrays.copyOf(contentLen, n);
            content = Arrays.copyOf(content, n);
            for (int i = count; i < n; i++) {
                content[i] = new char[64];
            }
        }
        return count++;
    }

    /** How Python would print a non-string role value in SLMGEN's message. */
    private static String pythonish(JsonParser p, JsonToken v) throws IOException {
        switch (v) {
            case VALUE_NULL:
                return "None";
            case VALUE_TRUE:
                return "True";
            case VALUE_FALSE:
                return "False";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getText();
            case START_OBJECT:
                return "{...}";
            case START_ARRAY:
                return "[...]";
            default:
                return String.valueOf(v);
        }
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
