package io.slmgen.storage;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.slmgen.storage.blob.S3BlobStore;
import io.slmgen.storage.blob.S3BlobStoreProtocolTest;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server for the tests: S3Proxy ({@code org.gaul:s3proxy}, jar-with-dependencies,
 * copied to {@code target/s3proxy/s3proxy.jar} by the pom's dependency:copy) with its filesystem
 * backend, started as its own {@code java} process on a free port, once per test JVM (stopped when the
 * JVM exits). As a Quarkus test resource it switches the service to {@code storage.backend=s3} against
 * it, under a key prefix of its own per application (so two test classes never share keys).
 */
public class S3ProxyServer implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "slmgen-test";
    public static final String ACCESS_KEY = "slmgen-test-access";
    public static final String SECRET_KEY = "slmgen-test-secret";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private static Process process;
    private static String endpoint;
    private static Path dataDir;

    /** The key prefix of the current Quarkus test application (its S3 keys all start with it). */
    public static volatile String prefix;

    /** Starts S3Proxy (once per JVM) and returns its endpoint, e.g. {@code http://127.0.0.1:40123}. */
    public static synchronized String endpoint() {
        if (endpoint != null) {
            return endpoint;
        }
        Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy jar missing at " + jar + ": run the tests through Maven "
                    + "(the storage-service pom copies org.gaul:s3proxy:jar-with-dependencies there)");
        }
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            dataDir = Files.createTempDirectory("slmgen-s3proxy");
            Files.createDirectories(dataDir.resolve("data").resolve(BUCKET)); // filesystem backend: a bucket is a directory
            String url = "http://127.0.0.1:" + port;
            Path props = dataDir.resolve("s3proxy.properties");
            Files.writeString(props, String.join("\n",
                    "s3proxy.endpoint=" + url,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + dataDir.resolve("data")) + "\n");
            Path log = jar.getParent().resolve("s3proxy-" + port + ".log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString(),
                    "--properties", props.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> process.destroy()));
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!answers(url)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + "; see " + log);
                }
                if (System.nanoTime() > deadline) {
                    process.destroy();
                    throw new IllegalStateException("S3Proxy did not answer within " + START_TIMEOUT + "; see " + log);
                }
                Thread.sleep(100);
            }
            endpoint = url;
            return url;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start S3Proxy", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean answers(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url + "/").openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            int status = c.getResponseCode(); // 403 without credentials: it is serving
            c.disconnect();
            return status > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** A client of the test server (path style, static credentials), as the service builds it. */
    public static S3Client client() {
        return S3BlobStore.client(S3BlobStoreProtocolTest.config(Optional.of(endpoint()), "us-east-1",
                Optional.of(ACCESS_KEY), Optional.of(SECRET_KEY), true));
    }

    @Override
    public Map<String, String> start() {
        prefix = "app-" + java.util.UUID.randomUUID() + "/";
        Map<String, String> config = new HashMap<>();
        config.put("storage.backend", "s3");
        config.put("storage.s3.endpoint", endpoint());
        config.put("storage.s3.bucket", BUCKET);
        config.put("storage.s3.access-key", ACCESS_KEY);
        config.put("storage.s3.secret-key", SECRET_KEY);
        config.put("storage.s3.force-path-style", "true");
        config.put("storage.s3.region", "us-east-1");
        config.put("storage.s3.key-prefix", prefix);
        return config;
    }

    @Override
    public void stop() {
        // the server lives as long as the JVM (other test classes may use it)
    }
}
