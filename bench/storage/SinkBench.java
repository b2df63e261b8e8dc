import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;

import io.slmgen.storage.blob.BlobStore;
import io.slmgen.storage.blob.LocalBlobStore;

/**
 * The local store's write path without HTTP: 512 MiB in 128 KiB chunks (a) written + MD5'd on one
 * thread, as the whole-file-MD5 ETag did, (b) through LocalBlobStore's sink (S3-style ETag, parts hashed
 * in parallel; O_DIRECT writes where the filesystem supports them, since 2026-11-26). Wall MB/s and process CPU seconds, interleaved. Run from the repository root after
 * `./mvnw -B -q -o compile -pl storage-service`:
 *   java -cp storage-service/target/classes:$(find ~/.m2/repository/org/jboss/logging -name 'jboss-logging-3*.jar' | head -1) bench/storage/SinkBench.java [reps]
 */
public class SinkBench {
    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "sinkbench");
        LocalBlobStore store = new LocalBlobStore(root, Duration.ofMinutes(15));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        byte[][] chunks = new byte[64][128 * 1024]; // never modified after filling: the sink may hash them later
        Random random = new Random(1);
        for (byte[] c : chunks) {
            random.nextBytes(c);
        }
        long total = 512L << 20;
        for (int r = 0; r < reps; r++) {
            long c0 = os.getProcessCpuTime(), t0 = System.nanoTime();
            Path f = root.resolve("single" + r);
            MessageDigest md = MessageDigest.getInstance("MD5");
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (long w = 0, i = 0; w < total; w += chunks[0].length, i++) {
                    byte[] c = chunks[(int) (i % chunks.length)];
                    md.update(c);
                    ByteBuffer b = ByteBuffer.wrap(c);
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                }
                md.digest();
                ch.force(true);
            }
            long c1 = os.getProcessCpuTime(), t1 = System.nanoTime();
            BlobStore.Sink s = store.openSink("datasets", UUID.randomUUID().toString());
            for (long w = 0, i = 0; w < total; w += chunks[0].length, i++) {
                s.write(ByteBuffer.wrap(chunks[(int) (i % chunks.length)]));
            }
            String etag = s.finish().etag();
            long c2 = os.getProcessCpuTime(), t2 = System.nanoTime();
            System.out.printf("one-thread md5+write %4.0f MB/s cpu %.2f s | sink (parallel parts) %4.0f MB/s cpu %.2f s | load %s | %s%n",
                    total / 1e6 / ((t1 - t0) / 1e9), (c1 - c0) / 1e9, total / 1e6 / ((t2 - t1) / 1e9), (c2 - c1) / 1e9,
                    Files.readString(Path.of("/proc/loadavg")).split(" ")[0], etag);
            Files.delete(f);
        }
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
