package io.slmgen.storage.blob;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ETags as S3 computes them (and so hosted Supabase Storage, whose backend is S3): an object of at most
 * one part ({@value #PART_SIZE} bytes) has the hex MD5 of its bytes; a larger one is cut into parts of
 * {@value #PART_SIZE} bytes (the last one shorter) and gets {@code hex(md5(md5(part1) || md5(part2) ...)) + "-" + parts},
 * the multipart-upload ETag. Parts are independent, so their MD5s are computed in parallel on
 * {@link #HASHERS} (one thread per core): that is what lets an upload use more than one core.
 */
public final class Etags {

    /** Part size of the multipart ETag (and of the S3 store's multipart uploads). */
    public static final int PART_SIZE = 8 * 1024 * 1024;

    /** Bounded pool hashing parts of every upload (daemon threads, one per core, at least two). */
    public static final ExecutorService HASHERS = pool("slmgen-part-md5", Math.max(2, Runtime.getRuntime().availableProcessors()));

    private Etags() {
    }

    /** The ETag of an object from the MD5 digests of its parts in order (one digest = a single-part object). */
    public static String of(List<byte[]> partDigests) {
        if (partDigests.size() == 1) {
            return HexFormat.of().formatHex(partDigests.get(0));
        }
        MessageDigest all = md5();
        partDigests.forEach(all::update);
        return HexFormat.of().formatHex(all.digest()) + "-" + partDigests.size();
    }

    /** Number of parts an object of {@code size} bytes has (at least one: the empty object is one empty part). */
    public static long parts(long size) {
        return size <= PART_SIZE ? 1 : (size + PART_SIZE - 1) / PART_SIZE;
    }

    public static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ExecutorService pool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        p.allowCoreThreadTimeOut(true);
        return p;
    }
}
