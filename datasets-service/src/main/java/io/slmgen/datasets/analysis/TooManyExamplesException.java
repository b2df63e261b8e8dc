package io.slmgen.datasets.analysis;

/**
 * The upload holds more valid examples than the configured cap ({@code datasets.max-examples}): the
 * analyser stops there, so its memory (one duplicate-key slot per example) stays bounded.
 */
public final class TooManyExamplesException extends RuntimeException {

    private final long limit;

    public TooManyExamplesException(long limit) {
        super("more than " + limit + " examples", null, false, false);
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
