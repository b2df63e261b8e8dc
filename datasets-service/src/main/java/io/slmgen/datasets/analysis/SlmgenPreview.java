package io.slmgen.datasets.analysis;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SLMGEN's preview numbers (its routers/preview.py), which differ from §8.2's: an example's token
 * count is {@code int(len(" ".join(contents).split()) * 1.3)}, message lengths are Python {@code len}
 * (code points), and "multi-turn" means more than one user message.
 */
public final class SlmgenPreview {

    private SlmgenPreview() {
    }

    /** Words of the example as Python's {@code str.split()} counts them over the joined contents. */
    public static long words(List<Example.Message> messages) {
        long words = 0;
        for (Example.Message m : messages) {
            String c = m.content();
            boolean inWord = false;
            for (int i = 0; i < c.length(); i++) {
                boolean space = PyWhitespace.isSpace(c.charAt(i)); // all Python spaces are in the BMP
                if (!space && !inWord) {
                    words++;
                }
                inWord = !space;
            }
        }
        return words;
    }

    /** {@code int(words * 1.3)} with Python's double arithmetic. */
    public static long tokenCount(List<Example.Message> messages) {
        return (long) (words(messages) * 1.3);
    }

    /** Python's {@code round(x, 1)}: half-even on the exact binary value. */
    public static double round1(double x) {
        return new BigDecimal(x).setScale(1, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** The distribution over all valid examples (feed them in order). */
    public static final class Distribution {
        private final Map<String, Long> roles = new LinkedHashMap<>();
        private long messages;
        private long lengthSum;
        private long b100;
        private long b500;
        private long b1000;
        private long bMore;
        private boolean hasSystem;
        private long multiTurn;
        private long examples;

        public void add(Example e) {
            examples++;
            int users = 0;
            for (Example.Message m : e.messages()) {
                roles.merge(m.role(), 1L, Long::sum);
                messages++;
                lengthSum += m.content().codePointCount(0, m.content().length());
                if ("system".equals(m.role())) {
                    hasSystem = true;
                } else if ("user".equals(m.role())) {
                    users++;
                }
            }
            long tokens = tokenCount(e.messages());
            if (tokens < 100) {
                b100++;
            } else if (tokens < 500) {
                b500++;
            } else if (tokens < 1000) {
                b1000++;
            } else {
                bMore++;
            }
            if (users > 1) {
                multiTurn++;
            }
        }

        public SlmgenDistribution result() {
            return new SlmgenDistribution(roles, messages == 0 ? 0.0 : round1((double) lengthSum / messages),
                    new SlmgenDistribution.TokenBuckets(b100, b500, b1000, bMore), hasSystem,
                    examples == 0 ? 0.0 : round1((double) multiTurn / examples * 100));
        }
    }
}
