package io.slmgen.shared.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SHA-256 over a Liquibase XML changelog and every file it references ({@code include file},
 * {@code sqlFile path}, {@code loadData file}, ... - recursively, by their bytes), plus the settings that
 * decide what an update applies (changelog table, contexts, labels). Equal fingerprints mean Liquibase
 * would find nothing new to run. Deliberately conservative: a changelog this reader cannot follow
 * completely ({@code includeAll}, a {@code ${property}} in a path, a missing resource, a non-XML master
 * changelog) has no fingerprint, and then Liquibase always runs.
 */
final class ChangelogFingerprint {

    private static final Pattern ELEMENT = Pattern.compile("<\\s*([A-Za-z][\\w:.-]*)((?:\\s+[^>]*?)?)/?>",
            Pattern.DOTALL);
    private static final Pattern ATTRIBUTE = Pattern.compile("([\\w:.-]+)\\s*=\\s*(\"([^\"]*)\"|'([^']*)')");
    private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    /** Attributes whose value names a resource whose bytes become part of the changelog. */
    private static final Set<String> FILE_ATTRIBUTES = Set.of("file", "path", "valueClobFile", "valueBlobFile");

    private ChangelogFingerprint() {
    }

    /** Empty when the changelog cannot be followed completely (then: always run Liquibase). */
    static Optional<String> compute(ClassLoader loader, String changeLog, String... settings) {
        if (changeLog == null || !changeLog.endsWith(".xml")) {
            return Optional.empty();
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("slmgen-changelog-fingerprint-v1".getBytes(StandardCharsets.UTF_8));
            for (String s : settings) {
                chunk(sha, s == null ? "" : s);
            }
            if (!visit(loader, normalise(changeLog), sha, new HashSet<>())) {
                return Optional.empty();
            }
            return Optional.of(HexFormat.of().formatHex(sha.digest()));
        } catch (IOException | NoSuchAlgorithmException e) {
            return Optional.empty();
        }
    }

    private static boolean visit(ClassLoader loader, String path, MessageDigest sha, Set<String> seen)
            throws IOException {
        byte[] bytes = read(loader, path);
        if (bytes == null) {
            return false;
        }
        chunk(sha, path);
        chunk(sha, bytes);
        if (!path.endsWith(".xml") || !seen.add(path)) {
            return true;
        }
        String xml = COMMENT.matcher(new String(bytes, StandardCharsets.UTF_8)).replaceAll("");
        Matcher element = ELEMENT.matcher(xml);
        while (element.find()) {
            String name = element.group(1);
            String local = name.substring(name.indexOf(':') + 1);
            if (local.equals("includeAll")) {
                return false;
            }
            String attributes = element.group(2);
            boolean relative = false;
            java.util.List<String> files = new java.util.ArrayList<>();
            Matcher a = ATTRIBUTE.matcher(attributes);
            while (a.find()) {
                String key = a.group(1);
                String value = a.group(3) != null ? a.group(3) : a.group(4);
                if (key.equals("relativeToChangelogFile")) {
                    relative = Boolean.parseBoolean(value.trim());
                } else if (FILE_ATTRIBUTES.contains(key)) {
                    files.add(value);
                }
            }
            for (String file : files) {
                if (file.contains("${") || file.contains("*")) {
                    return false;
                }
                String resolved = relative ? resolveSibling(path, file) : normalise(file);
                if (!visit(loader, resolved, sha, seen)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static byte[] read(ClassLoader loader, String path) throws IOException {
        try (InputStream in = loader.getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static String resolveSibling(String changelog, String file) {
        int slash = changelog.lastIndexOf('/');
        return normalise(slash < 0 ? file : changelog.substring(0, slash + 1) + file);
    }

    /** classpath: prefix, leading slashes, "./" and "dir/../" removed, as Liquibase resolves them. */
    static String normalise(String path) {
        String p = path.trim().replace('\\', '/');
        if (p.startsWith("classpath:")) {
            p = p.substring("classpath:".length());
        }
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.peekLast().equals("..")) {
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    private static void chunk(MessageDigest sha, String s) {
        chunk(sha, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Length-prefixed, so no two different sequences of chunks hash the same bytes. */
    private static void chunk(MessageDigest sha, byte[] bytes) {
        long n = bytes.length;
        for (int i = 7; i >= 0; i--) {
            sha.update((byte) (n >>> (i * 8)));
        }
        sha.update(bytes);
    }
}
