package io.slmgen.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A fresh temporary STORAGE_ROOT for one test application. */
public class TestStorageRoot implements QuarkusTestResourceLifecycleManager {

    public static volatile Path root;

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("slmgen-storage-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("storage.root", root.toString());
    }

    @Override
    public void stop() {
        // left for inspection; the OS cleans temp directories
    }
}
