package io.slmgen.shared.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ChangelogFingerprintTest {

    static final String MASTER = """
            <databaseChangeLog logicalFilePath="db/changelog/x-changelog.xml">
              <include file="db/platform/platform.xml"/>
              <!-- <include file="db/commented-out.xml"/> -->
              <changeSet id="a" author="t">
                <sqlFile path="x/001.sql" relativeToChangelogFile="true" splitStatements="false"/>
              </changeSet>
            </databaseChangeLog>
            """;
    static final String PLATFORM = """
            <databaseChangeLog>
              <changeSet id="p" author="t"><sqlFile path="p.sql" relativeToChangelogFile="true"/></changeSet>
            </databaseChangeLog>
            """;

    static Map<String, String> files() {
        Map<String, String> f = new HashMap<>();
        f.put("db/changelog/x-changelog.xml", MASTER);
        f.put("db/changelog/x/001.sql", "create table a (id int);");
        f.put("db/platform/platform.xml", PLATFORM);
        f.put("db/platform/p.sql", "create schema if not exists auth;");
        return f;
    }

    static Optional<String> fingerprint(Map<String, String> files, String... settings) {
        return ChangelogFingerprint.compute(new MapLoader(files), "db/changelog/x-changelog.xml", settings);
    }

    @Test
    void sameFilesSameFingerprint() {
        Optional<String> a = fingerprint(files(), "x_changelog", "local");
        assertTrue(a.isPresent());
        assertEquals(a, fingerprint(files(), "x_changelog", "local"));
        assertEquals(64, a.get().length());
    }

    @Test
    void aChangedSqlFileOfTheSliceChangesIt() {
        Map<String, String> f = files();
        f.put("db/changelog/x/001.sql", "create table a (id bigint);");
        assertNotEquals(fingerprint(files(), "x_changelog", "local"), fingerprint(f, "x_changelog", "local"));
    }

    @Test
    void aChangedFileOfAnIncludedChangelogChangesIt() {
        Map<String, String> f = files();
        f.put("db/platform/p.sql", "create schema if not exists auth; create schema extensions;");
        assertNotEquals(fingerprint(files(), "x_changelog", "local"), fingerprint(f, "x_changelog", "local"));
    }

    @Test
    void aNewChangesetChangesIt() {
        Map<String, String> f = files();
        f.put("db/changelog/x-changelog.xml", MASTER.replace("</databaseChangeLog>",
                "<changeSet id=\"b\" author=\"t\"><sql>select 1</sql></changeSet></databaseChangeLog>"));
        assertNotEquals(fingerprint(files(), "x_changelog", "local"), fingerprint(f, "x_changelog", "local"));
    }

    @Test
    void otherSettingsChangeIt() {
        assertNotEquals(fingerprint(files(), "x_changelog", "local"), fingerprint(files(), "x_changelog", "supabase"));
        assertNotEquals(fingerprint(files(), "x_changelog", "local"), fingerprint(files(), "y_changelog", "local"));
        assertNotEquals(fingerprint(files(), "ab", "c"), fingerprint(files(), "a", "bc"));
    }

    @Test
    void whatItCannotFollowHasNoFingerprint() {
        Map<String, String> missing = files();
        missing.remove("db/platform/p.sql");
        assertEquals(Optional.empty(), fingerprint(missing, "x_changelog", "local"));

        Map<String, String> all = files();
        all.put("db/changelog/x-changelog.xml", MASTER.replace("<include file=\"db/platform/platform.xml\"/>",
                "<includeAll path=\"db/platform/\"/>"));
        assertEquals(Optional.empty(), fingerprint(all, "x_changelog", "local"));

        Map<String, String> property = files();
        property.put("db/changelog/x-changelog.xml", MASTER.replace("x/001.sql", "${dir}/001.sql"));
        assertEquals(Optional.empty(), fingerprint(property, "x_changelog", "local"));

        assertEquals(Optional.empty(), ChangelogFingerprint.compute(new MapLoader(files()), "db/changelog/x.yaml"));
        assertEquals(Optional.empty(), ChangelogFingerprint.compute(new MapLoader(files()), "db/nothing-here.xml"));
    }

    @Test
    void theServicesChangelogsHaveFingerprints() {
        // the platform changelog every slice includes, read from this module's classpath
        assertTrue(ChangelogFingerprint.compute(getClass().getClassLoader(), "db/platform/platform-changelog.xml",
                "t", "local").isPresent());
    }

    @Test
    void normalisesPathsAsLiquibaseDoes() {
        assertEquals("db/a/b.sql", ChangelogFingerprint.normalise("classpath:/db/x/../a/./b.sql"));
    }

    /** Serves resources from a map (nothing from the parent). */
    static final class MapLoader extends ClassLoader {
        private final Map<String, String> files;

        MapLoader(Map<String, String> files) {
            super(null);
            this.files = files;
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            String s = files.get(name);
            return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
