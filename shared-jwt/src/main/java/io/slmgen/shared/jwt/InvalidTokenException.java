package io.slmgen.shared.jwt;

/** A token that must not be trusted. The message is safe to show to the caller (no token material). */
public class InvalidTokenException extends Exception {
    public InvalidTokenException(String message) {
        super(message, null, false, false);
    }
}
