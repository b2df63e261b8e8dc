package io.slmgen.auth.token;

import java.nio.charset.StandardCharsets;

import at.favre.lib.crypto.bcrypt.BCrypt;

/** bcrypt, as GoTrue stores passwords ($2a$, cost 10). CPU-heavy: call from a worker thread. */
public final class Passwords {

    private static final int COST = 10;
    /** Compared against when the user does not exist, so both paths cost one bcrypt verification. */
    private static final String DUMMY = BCrypt.withDefaults().hashToString(COST, "not-a-real-password".toCharArray());

    private Passwords() {
    }

    public static String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    public static boolean matches(String password, String hash) {
        if (password == null) {
            return false;
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > 72) {
            return false;
        }
        boolean ok = BCrypt.verifyer().verify(password.toCharArray(), hash == null || hash.isEmpty() ? DUMMY : hash).verified;
        return ok && hash != null && !hash.isEmpty();
    }
}
