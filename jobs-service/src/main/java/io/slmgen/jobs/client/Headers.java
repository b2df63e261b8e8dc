package io.slmgen.jobs.client;

import io.slmgen.shared.identity.Caller;

/** The headers that make another service see {@code caller} (its token and apikey, when it has them). */
public final class Headers {

    private Headers() {
    }

    public static String authorization(Caller caller) {
        return caller.authorizationHeader().orElse(null);
    }

    public static String apikey(Caller caller) {
        return caller.apikey();
    }
}
