package io.slmgen.datasets.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads the valid examples of a stored file back, with exactly the analyser's reading rules (line
 * splitting, BOM, UTF-8, stripping, validation), so preview index {@code i} is the i-th example the
 * analysis counted. Push bytes with {@link #feed}; each valid example goes to the consumer, which
 * returns false to stop (then {@link #isDone()} is true and further bytes are ignored).
 */
public final class ExampleReader {

    private final ExampleParser parser = new ExampleParser();
    private final LineSplitter splitter;
    private final Predicate<Example> consumer;
    private long index;
    private boolean done;

    public ExampleReader(Predicate<Example> consumer) {
        this(DatasetAnalyser.DEFAULT_MAX_LINE_BYTES, consumer);
    }

    public ExampleReader(int maxLineBytes, Predicate<Example> consumer) {
        this.consumer = consumer;
        this.splitter = new LineSplitter(maxLineBytes, new LineSplitter.Sink() {
            @Override
            public void line(long lineNumber, byte[] buf, int off, int len) {
                onLine(lineNumber, buf, off, len);
            }

            @Override
            public void overlong(long lineNumber) {
            }
        });
    }

    public void feed(byte[] b, int off, int len) {
        if (!done) {
            splitter.feed(b, off, len);
        }
    }

    public void finish() {
        if (!done) {
            splitter.finish();
        }
        done = true;
    }

    public boolean isDone() {
        return done;
    }

    /** Valid examples [offset, offset + limit) of a stream. */
    public static List<Example> read(InputStream in, long offset, int limit) throws IOException {
        List<Example> out = new ArrayList<>(Math.min(limit, 1000));
        if (limit <= 0) {
            return out;
        }
        ExampleReader r = new ExampleReader(e -> {
            if (e.index() >= offset) {
                out.add(e);
            }
            return out.size() < limit;
        });
        byte[] buf = new byte[65536];
        int n;
        while (!r.isDone() && (n = in.read(buf)) > 0) {
            r.feed(buf, 0, n);
        }
        r.finish();
        return out;
    }

    private void onLine(long no, byte[] b, int off, int len) {
        if (done) {
            return;
        }
        if (no == 1 && len >= 3 && b[off] == (byte) 0xEF && b[off + 1] == (byte) 0xBB && b[off + 2] == (byte) 0xBF) {
            off += 3;
            len -= 3;
        }
        if (!Utf8.isValid(b, off, len)) {
            return;
        }
        int s = PyWhitespace.stripStart(b, off, off + len);
        int e = PyWhitespace.stripEnd(b, s, off + len);
        if (s == e || !parser.parse(b, s, e - s)) {
            return;
        }
        if (!consumer.test(new Example(index++, no, parser.messages()))) {
            done = true;
        }
    }
}
