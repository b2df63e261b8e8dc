package io.slmgen.datasets.analysis;

import java.util.List;

/**
 * One valid example as read back from a stored file (preview): its 0-based index among the valid
 * examples, its physical line number and its messages.
 */
public record Example(long index, long line, List<Message> messages) {

    public record Message(String role, String content) {
    }

    /** SLMGEN's token estimate for the example: Σ max(1, ⌊code points / 4⌋). */
    public long tokenEstimate() {
        long t = 0;
        for (Message m : messages) {
            int cp = m.content().codePointCount(0, m.content().length());
            t += Math.max(1, cp / 4);
        }
        return t;
    }
}
