package io.slmgen.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A fresh temporary STORAGE_ROOT for one test application; its init args are passed on as configuration. */
public class TestStorageRoot implements QuarkusTestResourceLifecycleManager {

    public static volatile Path root;
    private final Map<String, String> extra = new HashMap<>();

    @Override
    public void init(Map<String, String> initArgs) {
        extra.putAll(initArgs);
    }

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("slmgen-storage-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> config = new HashMap<>(extra);
        config.put("storage.root", root.toString());
        return config;
    }

    @Override
    public void stop() {
        // left for inspection; the OS cleans temp directories
    }
}
